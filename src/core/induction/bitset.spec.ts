import fc from 'fast-check';
import { andInto, bitsetOf, hasBit, popcount, popcount32, POPCOUNT16, popcountAnd, sumOver, sumOverAnd, toIndices, wordCount } from './bitset';

describe('popcount32 (bit trick) and the 16-bit table', () => {
  it.each([
    [0, 0],
    [1, 1],
    [0b1011, 3],
    [0xff, 8],
    [0x80000000, 1],
    [0xffffffff, 32],
    [0x55555555, 16],
    [0x12345678, 13],
  ])('popcount(%i) = %i', (x, n) => {
    expect(popcount32(x)).toBe(n);
    expect(POPCOUNT16[x & 0xffff] + POPCOUNT16[x >>> 16]).toBe(n);
  });

  it('agrees with counting bits one by one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (x) => {
        let n = 0;
        for (let b = 0; b < 32; b++) n += (x >>> b) & 1;
        expect(popcount32(x)).toBe(n);
        expect(POPCOUNT16[x & 0xffff] + POPCOUNT16[x >>> 16]).toBe(n);
      }),
    );
  });
});

describe('bitsets over items', () => {
  it('wordCount rounds up to 32-item words', () => {
    expect([0, 1, 32, 33, 64].map(wordCount)).toEqual([0, 1, 1, 2, 2]);
  });

  it('a 70-item example: |a| = 4, |a ∧ b| = 2, a ∧ b = {31, 69}', () => {
    const a = bitsetOf(70, [0, 31, 32, 69]);
    const b = bitsetOf(70, [31, 33, 69]);
    expect(popcount(a)).toBe(4);
    expect(popcountAnd(a, b)).toBe(2);
    const out = new Uint32Array(wordCount(70));
    expect(andInto(out, a, b)).toBe(2);
    expect(Array.from(toIndices(out))).toEqual([31, 69]);
    expect(hasBit(a, 32)).toBe(true);
    expect(hasBit(a, 33)).toBe(false);
  });

  it('weighted sums walk the set bits', () => {
    const w = Float64Array.from({ length: 70 }, (_, i) => i + 0.5);
    const a = bitsetOf(70, [0, 31, 32, 69]);
    const b = bitsetOf(70, [31, 33, 69]);
    expect(sumOver(a, w)).toBe(0.5 + 31.5 + 32.5 + 69.5);
    expect(sumOverAnd(a, b, w)).toBe(31.5 + 69.5);
  });

  it('toIndices lists exactly the members, ascending', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 199 }), { maxLength: 200 }), (items) => {
        const b = bitsetOf(200, items);
        expect(Array.from(toIndices(b))).toEqual([...items].sort((x, y) => x - y));
        expect(popcount(b)).toBe(items.length);
      }),
    );
  });
});
