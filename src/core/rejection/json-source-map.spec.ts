import fc from 'fast-check';
import { JsonSyntaxError, jsonPointer, parseJsonWithLocations } from './json-source-map';

describe('parseJsonWithLocations', () => {
  const text = ['[', '  {', '    "id": "r1",', '    "conditions": {"all": [{"fact": "age", "operator": "lt", "value": 5}]}', '  }', ']'].join('\n');

  it.each([
    ['the root', '', { line: 1, column: 1 }, undefined],
    ['the first rule', '/0', { line: 2, column: 3 }, undefined],
    ['a string value and its key', '/0/id', { line: 3, column: 11 }, { line: 3, column: 5 }],
    ['a value nested in an array', '/0/conditions/all/0/operator', { line: 4, column: 56 }, { line: 4, column: 44 }],
  ])('locates %s', (_name, pointer, value, key) => {
    const loc = parseJsonWithLocations(text).locations.get(pointer);
    expect(loc?.value).toEqual(value);
    expect(loc?.key).toEqual(key);
  });

  it('returns what JSON.parse returns, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2, '\t'), (v, indent) => {
        const s = JSON.stringify(v, null, indent);
        expect(parseJsonWithLocations(s).value).toEqual(JSON.parse(s));
      }),
    );
  });

  it('keeps a "__proto__" key as an own property, like JSON.parse', () => {
    const v = parseJsonWithLocations('{"__proto__": {"x": 1}}').value as object;
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('reports a repeated key and keeps the last value', () => {
    const r = parseJsonWithLocations('{"a": 1,\n "a": 2}');
    expect(r.value).toEqual({ a: 2 });
    expect(r.duplicateKeys).toEqual([{ pointer: '/a', at: { line: 2, column: 2 } }]);
  });

  it('escapes ~ and / in pointers as RFC 6901 does', () => {
    expect(jsonPointer([0, 'a/b', 'c~d'])).toBe('/0/a~1b/c~0d');
    expect(parseJsonWithLocations('{"a/b": 1}').locations.has('/a~1b')).toBe(true);
  });

  it.each([
    ['a trailing comma', '[1, 2,\n]', { line: 2, column: 1 }],
    ['a missing comma', '{"a": 1\n "b": 2}', { line: 2, column: 2 }],
    ['an unquoted key', '{a: 1}', { line: 1, column: 2 }],
    ['an unterminated string', '["abc', { line: 1, column: 2 }],
    ['a leading zero', '01', { line: 1, column: 2 }],
    ['text after the value', '{} x', { line: 1, column: 4 }],
    ['empty input', '', { line: 1, column: 1 }],
  ])('rejects %s with its position', (_name, input, at) => {
    let error: unknown;
    try {
      parseJsonWithLocations(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JsonSyntaxError);
    expect((error as JsonSyntaxError).at).toEqual(at);
  });

  it('ignores a byte-order mark', () => {
    expect(parseJsonWithLocations('\ufeff[1]').value).toEqual([1]);
  });
});
