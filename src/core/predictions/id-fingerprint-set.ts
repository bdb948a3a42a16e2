/**
 * A set of string ids held as 64-bit fingerprints (two independent 32-bit hashes) in an
 * open-addressing table of typed arrays: 16 bytes per id at most, whatever the id's length,
 * and no string kept alive. Used to tell, while streaming an import, whether an id may have
 * been seen before in the same import.
 *
 * A "seen" answer can be wrong (two ids sharing a fingerprint: about n²/2⁶⁵ for n random ids,
 * so ~1e-9 for a million); a "new" answer never is. Callers must treat "seen" as "maybe".
 */
export type AddResult = 'new' | 'seen' | 'full';

export class IdFingerprintSet {
  private lo: Int32Array;
  private hi: Int32Array;
  private mask: number;
  private count = 0;

  /** `maxIds` bounds memory: past it, `add` answers `full` and stores nothing more. */
  constructor(readonly maxIds: number, initialSlots = 1024) {
    const slots = 2 ** Math.ceil(Math.log2(Math.max(16, initialSlots)));
    this.lo = new Int32Array(slots);
    this.hi = new Int32Array(slots);
    this.mask = slots - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Adds `id`; `seen` when its fingerprint is already present (a repeat, or rarely a collision). */
  add(id: string): AddResult {
    return this.insert(fingerprint(id, 0, id.length));
  }

  /**
   * Adds every line of `lines` (ids joined by '\n', as from SQL's string_agg) without cutting
   * the text into strings; returns how many ids it held. Ids are never empty, so '' holds none
   * (string_agg of no rows). `full` stops early and returns -1.
   */
  addLines(lines: string): number {
    if (lines === '') return 0;
    let start = 0;
    let n = 0;
    for (;;) {
      const end = lines.indexOf('\n', start);
      const stop = end === -1 ? lines.length : end;
      if (this.insert(fingerprint(lines, start, stop)) === 'full') return -1;
      n++;
      if (end === -1) return n;
      start = end + 1;
    }
  }

  private insert(f: [number, number]): AddResult {
    const a = f[0];
    const b = f[1];
    let i = a & this.mask;
    while (this.lo[i] !== 0 || this.hi[i] !== 0) {
      if (this.lo[i] === a && this.hi[i] === b) return 'seen';
      i = (i + 1) & this.mask;
    }
    if (this.count >= this.maxIds) return 'full';
    this.lo[i] = a;
    this.hi[i] = b;
    this.count++;
    // Linear probing stays short below half full.
    if (this.count * 2 > this.mask + 1) this.grow();
    return 'new';
  }

  private grow(): void {
    const { lo, hi } = this;
    const slots = lo.length * 2;
    this.lo = new Int32Array(slots);
    this.hi = new Int32Array(slots);
    this.mask = slots - 1;
    for (let j = 0; j < lo.length; j++) {
      if (lo[j] === 0 && hi[j] === 0) continue;
      let i = lo[j] & this.mask;
      while (this.lo[i] !== 0 || this.hi[i] !== 0) i = (i + 1) & this.mask;
      this.lo[i] = lo[j];
      this.hi[i] = hi[j];
    }
  }
}

const fp: [number, number] = [0, 0];

/**
 * The fingerprint of `text.slice(start, end)`: FNV-1a (32-bit) and a MurmurHash2-style mix with
 * another seed, over UTF-16 code units, each finished with Murmur3's avalanche. The all-zero pair
 * marks an empty slot, so it is moved to (0, 1). Returns a shared tuple: read it before the next call.
 */
export function fingerprint(text: string, start = 0, end = text.length): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ (end - start);
  for (let k = start; k < end; k++) {
    const c = text.charCodeAt(k);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ Math.imul(c, 0x5bd1e995), 0x5bd1e995);
    b ^= b >>> 13;
  }
  a = avalanche(a);
  b = avalanche(b);
  fp[0] = a;
  fp[1] = a === 0 && b === 0 ? 1 : b;
  return fp;
}

function avalanche(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}
