import { jest } from '@jest/globals';
import fc from 'fast-check';
import { prepareRejector } from '../core/rejection/rejector';
import { conceptFact, type CaveatRule } from '../core/rejection/rule-model';
import { bodyValue } from './decision.service';
import { MAX_BATCH_ITEMS } from './decision-request';
import { FlagVocabulary, nativeScanner, parseDecideBody, type FlagTable } from './flag-scan';

/*
 * The native scanner is built by `npm ci`; these tests fail without it (as CI must), unless it
 * was turned off on purpose with CAVEAT_NATIVE=0.
 */
const scanner = nativeScanner.scanner;
const describeNative = scanner === null && process.env.CAVEAT_NATIVE === '0' ? describe.skip : describe;

/** A vocabulary over exactly `names` (as FlagVocabulary.of would make it from rules reading them). */
function vocabulary(names: string[]): FlagVocabulary {
  const rules: CaveatRule[] = names.map((n, i) => ({ id: `r${i}`, sentence: 's', source: 'expert', action: { type: 'reject' }, conditions: { all: [{ fact: conceptFact(n), operator: 'equal', value: true }] } }));
  const v = FlagVocabulary.of([prepareRejector({ rules })]);
  if (v === null) throw new Error(`the native scanner is not available: ${nativeScanner.why}`);
  return v;
}

/** The flag the scanner read for `name` in `row`: true, false or undefined (not given). */
function flag(table: FlagTable, row: number, name: string): boolean | undefined {
  const j = table.vocabulary.names.indexOf(name);
  const code = table.codes[row * table.vocabulary.names.length + j];
  return code === 0 ? undefined : code === 2;
}

const scan = (body: string | Buffer, names: string[], batch = false) => parseDecideBody(Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'), vocabulary(names), batch);

describeNative('the native concept-flag scanner: hand-checked bodies', () => {
  it('is loaded', () => {
    expect(scanner).not.toBeNull();
  });

  it('reads one request’s flags into a row and leaves the row number for JSON.parse', () => {
    const r = scan('{"confidence":0.9,"predicted":"a","concepts":{"x":true,"y":false},"itemId":"i"}', ['x', 'y', 'z']);
    expect(r.value).toEqual({ confidence: 0.9, predicted: 'a', concepts: 0, itemId: 'i' });
    expect([...r.flags!.codes]).toEqual([2, 1, 0]);
  });

  it('gives each batch item its own row, with whitespace anywhere JSON allows it', () => {
    const body = '{ "items" : [ {"concepts" : { "y" :\ttrue ,\n"x": false } } ,{"predicted":"b","concepts":{"z":true}}, {"confidence":1} ]\r\n}';
    const r = scan(body, ['x', 'y', 'z'], true);
    expect(r.value).toEqual({ items: [{ concepts: 0 }, { predicted: 'b', concepts: 1 }, { confidence: 1 }] });
    expect([...r.flags!.codes]).toEqual([1, 2, 0, 0, 0, 2]);
  });

  it('skips flags no rule reads, keeps the last of a repeated key, as JSON.parse does', () => {
    const r = scan('{"concepts":{"x":true,"other":false,"x":false}}', ['x', 'y']);
    expect(r.value).toEqual({ concepts: 0 });
    expect([flag(r.flags!, 0, 'x'), flag(r.flags!, 0, 'y')]).toEqual([false, undefined]);
  });

  it('gives up on a concepts field repeated in an item (rows never outnumber items)', () => {
    for (const second of ['{"y":true}', '{}', 'null']) {
      const body = `{"items":[{"concepts":{"x":true}},{"concepts":{"x":true},"concepts":${second}}]}`;
      expect(scan(body, ['x', 'y'], true)).toMatchObject({ flags: null, value: JSON.parse(body) });
    }
  });

  it('falls back to JSON.parse, and says so once, should the scanner fail', () => {
    const v = vocabulary(['x']);
    const broken = Object.assign(Object.create(Object.getPrototypeOf(v) as object) as FlagVocabulary, v, { handle: {} });
    const body = Buffer.from('{"concepts":{"x":true}}');
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(parseDecideBody(body, broken, false)).toMatchObject({ flags: null, value: { concepts: { x: true } } });
      expect(parseDecideBody(body, broken, false)).toMatchObject({ flags: null });
      expect(write.mock.calls.filter(([m]) => String(m).includes('scanner failed'))).toHaveLength(1);
    } finally {
      write.mockRestore();
    }
  });

  it('gives up beyond one flags object per item the batch may hold', () => {
    const items = (n: number) => `{"items":[${Array.from({ length: n }, () => '{"concepts":{"x":true}}').join(',')}]}`;
    expect(scan(items(MAX_BATCH_ITEMS), ['x'], true).flags?.rows).toBe(MAX_BATCH_ITEMS);
    expect(scan(items(MAX_BATCH_ITEMS + 1), ['x'], true).flags).toBeNull();
  });

  it('leaves an empty object and null as they are', () => {
    expect(scan('{"concepts":{ }}', ['x']).value).toEqual({ concepts: {} });
    expect(scan('{"concepts": null}', ['x']).value).toEqual({ concepts: null });
  });

  it('matches names that are not ASCII byte for byte', () => {
    const r = scan('{"concepts":{"sombre é":true,"夜":false}}', ['夜', 'sombre é']);
    expect([flag(r.flags!, 0, 'sombre é'), flag(r.flags!, 0, '夜')]).toEqual([true, false]);
  });

  it('touches only the items’ own concepts fields', () => {
    const body = {
      text: '"concepts":{"x":true}',
      attributes: { concepts: { x: true }, list: [{ concepts: { x: true } }] },
      concepts: { x: true },
    };
    const r = scan(JSON.stringify(body), ['x']);
    expect(r.value).toEqual({ ...body, concepts: 0 });
    // In a batch, the items are the objects in the root's array: a root-level field is not one.
    const batch = scan(JSON.stringify({ concepts: { x: true }, items: [{ attributes: { concepts: { x: false } } }] }), ['x'], true);
    expect(batch.value).toEqual({ concepts: { x: true }, items: [{ attributes: { concepts: { x: false } } }] });
    expect(batch.flags!.codes.length).toBe(0);
  });

  it.each([
    ['an escaped key', '{"concepts":{"\\u0078":true}}'],
    ['a __proto__ key', '{"concepts":{"__proto__":true}}'],
    ['a number for a flag', '{"concepts":{"x":1}}'],
    ['a string for a flag', '{"concepts":{"x":"true"}}'],
    ['a truncated literal', '{"concepts":{"x":tru}}'],
    ['a literal run on', '{"concepts":{"x":truex}}'],
    ['an object for a flag', '{"concepts":{"x":{}}}'],
    ['a number for the flags', '{"concepts":0}'],
    ['a list for the flags', '{"concepts":[]}'],
    ['a control character in a key', '{"concepts":{"x\u0001":true}}'],
    ['a missing comma', '{"concepts":{"x":true "y":false}}'],
    ['a trailing comma', '{"concepts":{"x":true,}}'],
    ['a body cut short', '{"concepts":{"x":true'],
    ['too many closing brackets', '{"confidence":1}}'],
    ['an escaped item field (it may be the flags field)', '{"concepts":{"x":true},"conc\\u0065pts":0}'],
    ['an escaped item field in a batch', '{"items":[{"concepts":{"x":true}},{"conc\\u0065pts":0}]}'],
    ['a number run on after the flags', '{"concepts":{"x":true}.5}'],
    ['an exponent run on after the flags', '{"concepts":{"x":true}e5}'],
    ['a digit run on after the flags, in a batch', '{"items":[{"concepts":{"x":true}},{"concepts":{"x":false}0}]}'],
    ['two flags objects in one request', '{"concepts":{"x":true},"concepts":{"y":true}}'],
  ])('gives up on %s: the body is parsed as it is', (_what, body) => {
    let r;
    try {
      r = scan(body, ['x', 'y'], body.startsWith('{"items"'));
    } catch (e) {
      // Invalid JSON: JSON.parse's own error, from the body as it is.
      expect(e).toBeInstanceOf(SyntaxError);
      expect(() => JSON.parse(body)).toThrow(SyntaxError);
      return;
    }
    expect(r.flags).toBeNull();
    expect(r.value).toEqual(JSON.parse(body));
  });

  it('gives up on a body with a byte-order mark or that is not UTF-8, which JSON.parse reads decoded', () => {
    const bom = scan(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"concepts":{"x":true}}')]), ['x']);
    expect(bom).toMatchObject({ flags: null, value: { concepts: { x: true } } });
    const latin1 = scan(Buffer.from('{"concepts":{"x\xff":true}}', 'latin1'), ['x\ufffd']);
    expect(latin1).toMatchObject({ flags: null, value: { concepts: { 'x\ufffd': true } } });
  });

  it('leaves invalid JSON outside the flags to JSON.parse', () => {
    expect(() => scan('{"concepts":{"x":true}, "confidence": 01}', ['x'])).toThrow(SyntaxError);
    expect(() => scan('{"concepts":{"x":true}} x', ['x'])).toThrow(SyntaxError);
  });
});

// ---- Property: the scanner's reading equals JSON.parse's on any body it accepts ---------------

const NAMES = ['c0', 'c1', 'c2', 'dark photo', 'é', 'x"y', 'constructor', 'a\\b'];
const EXTRA = ['unknown', 'c10', '__proto__'];
const WS = fc.constantFrom('', '', '', ' ', '\n', '\t', '\r\n ');

/** A flags object written by hand: keys sometimes escaped, values sometimes not booleans, whitespace anywhere. */
const flagsText = fc
  .array(
    fc.record({
      key: fc.constantFrom(...NAMES, ...EXTRA),
      escape: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
      value: fc.oneof({ weight: 20, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.constantFrom<unknown>(1, 'true', null, {}) }),
      ws: fc.tuple(WS, WS, WS, WS),
    }),
    { maxLength: 12 },
  )
  .map((members) =>
    members.length === 0
      ? '{}'
      : '{' +
        members
          .map(({ key, escape, value, ws }) => {
            const k = escape ? '"' + [...key].map((ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0')).join('') + '"' : JSON.stringify(key);
            return `${ws[0]}${k}${ws[1]}:${ws[2]}${JSON.stringify(value)}${ws[3]}`;
          })
          .join(',') +
        '}',
  );

const itemText = fc.record({
  flags: fc.oneof({ weight: 8, arbitrary: flagsText }, { weight: 1, arbitrary: fc.constantFrom('null', '3', '"x"', '[true]') }),
  confidence: fc.double({ min: 0, max: 1, noNaN: true }),
  text: fc.string({ unit: 'grapheme', maxLength: 12 }),
  nested: fc.option(flagsText, { nil: undefined }),
  order: fc.boolean(),
  twice: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  // One of the item's own fields written with an escape (conc\u0065pts for concepts).
  escapedField: fc.option(fc.constantFrom('confidence', 'concepts'), { nil: undefined, freq: 10 }),
});

type ItemSpec = typeof itemText extends fc.Arbitrary<infer T> ? T : never;

const escapeE = (field: string, x: ItemSpec) => (x.escapedField === field ? field.replace('e', '\\u0065') : field);

function item(x: ItemSpec): string {
  const parts = [`"${escapeE('confidence', x)}":${JSON.stringify(x.confidence)}`, `"text":${JSON.stringify(x.text)}`, `"${escapeE('concepts', x)}":${x.flags}`];
  if (x.nested !== undefined) parts.push(`"attributes":{"concepts":${x.nested}}`);
  if (x.twice) parts.push(`"concepts":${x.flags}`);
  return '{' + (x.order ? parts.reverse() : parts).join(',') + '}';
}

/** What JSON.parse says of an item's flags for the vocabulary's names (a repeated field: the last). */
function plainFlags(concepts: unknown, names: readonly string[]): Array<boolean | undefined> {
  const o = typeof concepts === 'object' && concepts !== null && !Array.isArray(concepts) ? (concepts as Record<string, unknown>) : {};
  return names.map((n) => (Object.prototype.hasOwnProperty.call(o, n) ? (o[n] as boolean) : undefined));
}

/**
 * Checks the scanner's reading of `body` against JSON.parse's: the same error, or the same value
 * but for the items' flags, which must be what JSON.parse read of the vocabulary's concepts.
 * Returns the scan (null where it threw).
 */
function checkAgainstJsonParse(body: string, batch: boolean, names: string[]): ReturnType<typeof scan> | null {
  let plain: Record<string, unknown>;
  try {
    // What the route reads: the text's UTF-8 bytes (an edit may have split a surrogate pair).
    plain = JSON.parse(Buffer.from(body, 'utf8').toString('utf8')) as Record<string, unknown>;
  } catch {
    expect(() => scan(body, names, batch)).toThrow(SyntaxError);
    return null;
  }
  const r = scan(body, names, batch);
  if (r.flags === null) {
    expect(r.value).toEqual(plain);
    return r;
  }
  const vocab = r.flags.vocabulary.names;
  const list = (v: unknown): unknown[] => (batch ? (Array.isArray((v as { items?: unknown }).items) ? (v as { items: unknown[] }).items : []) : [v]);
  const { items: _p, ...plainRest } = batch && typeof plain === 'object' && plain !== null ? plain : { items: undefined };
  const { items: _s, ...scannedRest } = batch && typeof r.value === 'object' && r.value !== null ? (r.value as Record<string, unknown>) : { items: undefined };
  expect(scannedRest).toEqual(plainRest);
  const plainItems = list(plain);
  const scannedItems = list(r.value);
  expect(scannedItems.length).toBe(plainItems.length);
  plainItems.forEach((p, i) => {
    const s = scannedItems[i];
    if (typeof p !== 'object' || p === null || Array.isArray(p)) return expect(s).toEqual(p);
    const { concepts: pc, ...prest } = p as Record<string, unknown>;
    const { concepts: sc, ...srest } = s as Record<string, unknown>;
    expect(srest).toEqual(prest);
    if (typeof sc === 'number') {
      expect(Number.isInteger(sc) && sc >= 0 && sc < r.flags!.rows).toBe(true);
      expect(vocab.map((n) => flag(r.flags!, sc, n))).toEqual(plainFlags(pc, vocab));
    } else {
      expect(sc).toEqual(pc);
    }
  });
  return r;
}

describeNative('the native concept-flag scanner: property', () => {
  it('reads every flag JSON.parse reads, leaves everything else as JSON.parse reads it, and gives up only on what it cannot read', () => {
    fc.assert(
      fc.property(fc.array(itemText, { minLength: 1, maxLength: 6 }), fc.boolean(), fc.subarray(NAMES, { minLength: 1 }), (drawn, batch, names) => {
        const items = batch ? drawn : drawn.slice(0, 1);
        const body = batch ? `{"items":[${items.map(item).join(',')}]}` : item(items[0]);
        const r = checkAgainstJsonParse(body, batch, names)!;
        // A __proto__ key must reach decision-request.ts, which refuses it; so must a client's number for the flags.
        if (items.some((x) => x.flags.includes('"__proto__"') || x.flags === '3')) expect(r.flags).toBeNull();
        if (r.flags === null) {
          // It gives up only where an item holds what it leaves to JSON.parse.
          const readable = /^\{(\s*"[^"\\]*"\s*:\s*(true|false)\s*,?)*\s*\}$/;
          const hard = items.some(
            (x) =>
              (!readable.test(x.flags) && x.flags !== 'null') ||
              x.flags.includes('"__proto__"') ||
              x.escapedField !== undefined ||
              // one flags field per item
              x.twice,
          );
          expect(hard).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('throws where JSON.parse throws, and reads as JSON.parse reads, on bodies with a character put in or taken out anywhere', () => {
    // Half the edits land just after a closing brace, where a flags object ends.
    const edit = fc.record({ at: fc.nat(), afterBrace: fc.boolean(), insert: fc.option(fc.constantFrom('0', '5', '5', '.', '.', 'e', 'E', '-', ',', ':', '}', ']', '{', '[', '"', '\\', ' ', 'x', 't'), { nil: undefined, freq: 6 }) });
    // Items the scanner reads whole (were one to make it give up, it would read nothing): edits make them hard.
    const plainItem = fc.record({ confidence: fc.double({ min: 0, max: 1, noNaN: true }), concepts: fc.dictionary(fc.constantFrom('c0', 'c1', 'é', 'other'), fc.boolean(), { minKeys: 1 }) });
    fc.assert(
      fc.property(fc.array(plainItem, { minLength: 1, maxLength: 12 }), fc.boolean(), fc.array(edit, { minLength: 1, maxLength: 3 }), (drawn, batch, edits) => {
        let body = batch ? JSON.stringify({ items: drawn }) : JSON.stringify(drawn[0]);
        for (const { at, afterBrace, insert } of edits) {
          const braces = [...body.matchAll(/\}/g)].map((m) => m.index + 1);
          const i = afterBrace && braces.length > 0 ? braces[at % braces.length] : at % (body.length + 1);
          body = insert === undefined ? body.slice(0, i) + body.slice(i + 1) : body.slice(0, i) + insert + body.slice(i);
        }
        checkAgainstJsonParse(body, batch, ['c0', 'c1', 'dark photo', 'é']);
      }),
      { numRuns: 3000 },
    );
  });
});

describeNative('a body parsed for one rejector and decided by another (reloaded in between)', () => {
  it('is read again for the new rejector’s concepts', () => {
    const raw = Buffer.from('{"confidence":0.9,"predicted":"a","concepts":{"x":true,"y":false}}');
    const before = vocabulary(['x']);
    const after = vocabulary(['y', 'x']);
    const body = parseDecideBody(raw, before, false);
    expect(bodyValue(body, { flagVocabulary: before }, false)).toBe(body);
    const again = bodyValue(body, { flagVocabulary: after }, false);
    expect([flag(again.flags!, 0, 'x'), flag(again.flags!, 0, 'y')]).toEqual([true, false]);
    // No vocabulary any more (no rule reads a concept): JSON.parse's value.
    expect(bodyValue(body, { flagVocabulary: null }, false)).toEqual({ value: JSON.parse(raw.toString()), flags: null, raw });
    // A value JSON.parse gave (the route was not a decide route's parser): as it is.
    expect(bodyValue({ a: 1 }, { flagVocabulary: after }, false)).toEqual({ value: { a: 1 }, flags: null });
  });
});
