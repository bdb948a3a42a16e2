/**
 * Mined conjunctions as a struct of typed arrays (no per-itemset objects): literal ids (sorted
 * ascending), the covered weight n, the weight in the target's denominator d, the failing weight f,
 * extra per-item sums, and the index of the prefix it was grown from.
 */
export class ItemsetTable {
  size = 0;
  private lits = new Int32Array(1024);
  private litsUsed = 0;
  start = new Int32Array(256);
  length = new Uint8Array(256);
  count = new Float64Array(256);
  den = new Float64Array(256);
  fail = new Float64Array(256);
  sums: Float64Array[];

  constructor(readonly sumCount = 0) {
    this.sums = Array.from({ length: sumCount }, () => new Float64Array(256));
  }

  /** Appends prefix ∪ {lit}; returns its index. `sums` is read, not kept. */
  add(prefix: readonly number[], lit: number, count: number, den: number, fail: number, sums?: ArrayLike<number>): number {
    if (this.size === this.start.length) this.grow();
    const len = prefix.length + 1;
    if (this.litsUsed + len > this.lits.length) {
      const next = new Int32Array(Math.max(this.lits.length * 2, this.litsUsed + len));
      next.set(this.lits);
      this.lits = next;
    }
    const i = this.size++;
    const s = this.litsUsed;
    for (let k = 0; k < prefix.length; k++) this.lits[s + k] = prefix[k];
    this.lits[s + prefix.length] = lit;
    // Kept sorted by id (the search order may differ), so a conjunction has one key. Insertion sort: len ≤ depth.
    for (let k = s + 1; k < s + len; k++) {
      const v = this.lits[k];
      let j = k - 1;
      while (j >= s && this.lits[j] > v) {
        this.lits[j + 1] = this.lits[j];
        j--;
      }
      this.lits[j + 1] = v;
    }
    this.litsUsed += len;
    this.start[i] = s;
    this.length[i] = len;
    this.count[i] = count;
    this.den[i] = den;
    this.fail[i] = fail;
    for (let k = 0; k < this.sumCount; k++) this.sums[k][i] = sums ? sums[k] : 0;
    return i;
  }

  /** The literal ids of itemset i. */
  literals(i: number): number[] {
    return Array.from(this.lits.subarray(this.start[i], this.start[i] + this.length[i]));
  }

  /** A key naming itemset i by its sorted literal ids (for subset look-ups). */
  key(i: number): string {
    return this.lits.subarray(this.start[i], this.start[i] + this.length[i]).join(',');
  }

  private grow(): void {
    const cap = this.start.length * 2;
    const g32 = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    const g64 = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    this.start = g32(this.start);
    const len = new Uint8Array(cap);
    len.set(this.length);
    this.length = len;
    this.count = g64(this.count);
    this.den = g64(this.den);
    this.fail = g64(this.fail);
    this.sums = this.sums.map(g64);
  }
}

/** Sorted-id key of a literal set. */
export const itemsetKey = (lits: readonly number[]): string => [...lits].sort((a, b) => a - b).join(',');
