import fc from 'fast-check';
import { findUnstorable, unstorableReason } from './storable-text';

describe('storable text', () => {
  it.each<[string, string, RegExp | null]>([
    ['plain ASCII', 'item-17', null],
    ['accents, CJK and emoji (a surrogate pair)', 'ünï 漢字 😀', null],
    ['U+2028 and U+FFFD are ordinary characters', '\u2028\uFFFD', null],
    ['NUL', 'a\u0000b', /NUL/],
    ['a lone high surrogate', 'a\ud800', /lone surrogate/],
    ['a lone low surrogate', '\udc00z', /lone surrogate/],
    ['a reversed pair', '\ude00\ud83d', /lone surrogate/],
  ])('%s', (_name, s, reason) => {
    const got = unstorableReason(s);
    if (reason === null) expect(got).toBeNull();
    else expect(got).toMatch(reason);
  });

  it.each<[string, unknown, { field: string } | null]>([
    ['numbers, booleans and null', { a: 1, b: true, c: null }, null],
    ['a nested string value', { a: { b: ['ok', 'x\u0000'] } }, { field: 'attributes.a.b[1]' }],
    ['a key', { ['k\ud800']: 1 }, { field: 'attributes (a key)' }],
    ['the first of two', { a: '\ud800', b: '\u0000' }, { field: 'attributes.a' }],
  ])('findUnstorable: %s', (_name, value, expected) => {
    const got = findUnstorable(value, 'attributes');
    if (expected === null) expect(got).toBeNull();
    else expect(got).toMatchObject(expected);
  });

  it('a string is storable exactly when UTF-8 round-trips it and it holds no NUL', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 12 }), (s) => {
        const roundTrips = Buffer.from(s, 'utf8').toString('utf8') === s;
        return (unstorableReason(s) === null) === (roundTrips && !s.includes('\u0000'));
      }),
      { numRuns: 2000 },
    );
  });
});
