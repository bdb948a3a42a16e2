/**
 * Bitsets over items: bit i of word i >>> 5 is item i. One per literal, one for the target's
 * denominator and one for its failures; a rule's cover is the AND of its literals' bitsets.
 */

/** Number of 32-bit words for n items. */
export const wordCount = (n: number): number => (n + 31) >>> 5;

/** Set bits in a 32-bit word: the SWAR bit trick (Hacker's Delight §5-1); V8 has no popcnt intrinsic. */
export function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/**
 * Set bits of every 16-bit value: popcount(x) = T[x & 0xffff] + T[x >>> 16]. Two loads from a
 * 64 KB table beat the 12-operation bit trick by ~1.5× per word in V8 (bench/induction.ts).
 */
export const POPCOUNT16: Uint8Array = (() => {
  const t = new Uint8Array(65536);
  for (let i = 1; i < 65536; i++) t[i] = (i & 1) + t[i >>> 1];
  return t;
})();

/** Set bits in a whole bitset. */
export function popcount(a: Uint32Array): number {
  const T = POPCOUNT16;
  let c = 0;
  for (let w = 0; w < a.length; w++) {
    const x = a[w];
    c += T[x & 0xffff] + T[x >>> 16];
  }
  return c;
}

/** |a ∧ b| without materializing the intersection. */
export function popcountAnd(a: Uint32Array, b: Uint32Array): number {
  const T = POPCOUNT16;
  let c = 0;
  for (let w = 0; w < a.length; w++) {
    const x = a[w] & b[w];
    c += T[x & 0xffff] + T[x >>> 16];
  }
  return c;
}

/** |a ∧ b ∧ c|. */
export function popcountAnd3(a: Uint32Array, b: Uint32Array, c: Uint32Array): number {
  const T = POPCOUNT16;
  let n = 0;
  for (let w = 0; w < a.length; w++) {
    const x = a[w] & b[w] & c[w];
    n += T[x & 0xffff] + T[x >>> 16];
  }
  return n;
}

/** out ← a ∧ b; returns |out|. */
export function andInto(out: Uint32Array, a: Uint32Array, b: Uint32Array): number {
  const T = POPCOUNT16;
  let c = 0;
  for (let w = 0; w < a.length; w++) {
    const x = a[w] & b[w];
    out[w] = x;
    c += T[x & 0xffff] + T[x >>> 16];
  }
  return c;
}

/** A bitset of n items with the given items set (test and fixture helper). */
export function bitsetOf(n: number, items: Iterable<number>): Uint32Array {
  const b = new Uint32Array(wordCount(n));
  for (const i of items) b[i >>> 5] |= 1 << (i & 31);
  return b;
}

/** The bitset of items i with pred(i). */
export function bitsetWhere(n: number, pred: (i: number) => boolean): Uint32Array {
  const b = new Uint32Array(wordCount(n));
  for (let i = 0; i < n; i++) if (pred(i)) b[i >>> 5] |= 1 << (i & 31);
  return b;
}

/** Whether item i is set. */
export const hasBit = (b: Uint32Array, i: number): boolean => ((b[i >>> 5] >>> (i & 31)) & 1) === 1;

/** Σ values[i] over the set bits (a weighted count); walks set bits by lowest-bit extraction. */
export function sumOver(a: Uint32Array, values: Float64Array): number {
  let s = 0;
  for (let w = 0; w < a.length; w++) {
    let x = a[w];
    const base = w << 5;
    while (x !== 0) {
      const low = x & -x;
      s += values[base + 31 - Math.clz32(low)];
      x ^= low;
    }
  }
  return s;
}

/** Σ values[i] over the set bits of a ∧ b. */
export const sumOverAnd = (a: Uint32Array, b: Uint32Array, values: Float64Array): number => sumOverAnd3(a, b, null, values);

/** Σ values[i] over the set bits of a ∧ b (∧ c when given). */
export function sumOverAnd3(a: Uint32Array, b: Uint32Array, c: Uint32Array | null, values: Float64Array): number {
  let s = 0;
  for (let w = 0; w < a.length; w++) {
    let x = a[w] & b[w];
    if (c) x &= c[w];
    const base = w << 5;
    while (x !== 0) {
      const low = x & -x;
      s += values[base + 31 - Math.clz32(low)];
      x ^= low;
    }
  }
  return s;
}

/** Writes the indices of the set bits, ascending, into out from position start. */
export function extractInto(bits: Uint32Array, out: Uint32Array, start: number): void {
  let k = start;
  for (let w = 0; w < bits.length; w++) {
    let x = bits[w];
    const base = w << 5;
    while (x !== 0) {
      const low = x & -x;
      out[k++] = base + 31 - Math.clz32(low);
      x ^= low;
    }
  }
}

/** The indices of the set bits, ascending (a tid-list). */
export function toIndices(a: Uint32Array, count = popcount(a)): Uint32Array {
  const out = new Uint32Array(count);
  extractInto(a, out, 0);
  return out;
}
