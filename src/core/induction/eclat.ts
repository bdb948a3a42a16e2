import { andInto, extractInto, popcount, popcountAnd, popcountAnd3, POPCOUNT16, sumOver, sumOverAnd, sumOverAnd3 } from './bitset';
import { ItemsetTable } from './itemset-table';

const T16 = POPCOUNT16;
/** Largest projection (siblings × projected words) built: 64 MB; above it the vertical search is used. */
const MAX_PROJECTED_WORDS = 1 << 24;
/** Measured costs relative to one bitset word (AND + popcount), for choosing a strategy. */
const COST_SCAN = 1.5;
const COST_TID_TEST = 1.5;

/** What the miner reads: one bitset per literal over n items, and the target's bitsets. */
export interface MiningInput {
  n: number;
  literals: readonly Uint32Array[];
  /** Attribute group per literal; at most one literal per group in a conjunction. */
  groups: Int32Array;
  /** The target's denominator; null = every item. */
  den: Uint32Array | null;
  fail: Uint32Array;
  /** null = unit weights (popcount fast path). */
  weights: Float64Array | null;
  /** Per-item values summed over each frequent conjunction's cover (already weighted). */
  sums?: readonly Float64Array[];
  /** Minimum covered weight. */
  minCount: number;
  /** 0 = unlimited. */
  maxDepth: number;
  /** Covers of fewer items are kept as item-id lists (default: the number of words; 0 = never). */
  tidListBelow?: number;
  /** Count the last two levels on projected bitsets: when estimated cheaper (`auto`, default), `always` or `never`. */
  projection?: 'auto' | 'always' | 'never';
}

export interface MiningResult {
  table: ItemsetTable;
  /** Conjunctions whose support was counted (frequent or not). */
  candidates: number;
}

/** A frequent conjunction's cover: a bitset, or the ascending item ids when it is sparse. */
interface Member {
  lit: number;
  bits: Uint32Array | null;
  tids: Uint32Array | null;
  /** Covered items (unweighted). */
  count: number;
  /** Covered weight, denominator weight, failing weight. */
  n: number;
  d: number;
  f: number;
}

/**
 * Every conjunction of literals (one per group) whose covered weight is ≥ minCount, up to
 * maxDepth literals: Eclat (Zaki 2000), depth-first over equivalence classes. A class holds the
 * frequent one-literal extensions of a prefix P; P ∪ {a, b} is counted only when P ∪ {a} and
 * P ∪ {b} are both frequent, as cover(P∪{a}) ∩ bits(b). Covers are bitsets, switched to sorted
 * item-id lists once small (then each extension costs one bit test per covered item instead of a
 * pass over all words). Two levels above the depth limit, when cheaper, the last two levels are
 * counted together on bitsets projected onto the prefix's cover (`countProjected`). Complete:
 * support is anti-monotone, so no frequent conjunction is missed.
 */
export function mineFrequent(input: MiningInput): MiningResult {
  return new EclatMiner(input).run();
}

class EclatMiner {
  private readonly words: number;
  private readonly table: ItemsetTable;
  private readonly code: Uint8Array;
  private readonly sums: readonly Float64Array[];
  private readonly sumBuf: Float64Array;
  private candidates = 0;
  /** Below this many covered items a cover is kept as an id list. */
  private readonly tidThreshold: number;
  private readonly bitPool: Uint32Array[][] = [];
  private readonly poolUsed: number[] = [];
  private readonly tidArena: Array<{ buf: Uint32Array; used: number }> = [];
  /** Mean number of literals per item, for the cost estimate. */
  private readonly avgRowLength: number;
  /** Items per literal and the mean item weight, for the cost estimate. */
  private readonly literalCount: Float64Array;
  private readonly meanWeight: number;
  private csr: { rowStart: Uint32Array; rowLits: Uint16Array | Uint32Array } | null = null;
  /** Sibling literal → slot (1-based) while projecting; 0 elsewhere. */
  private readonly mark: Int32Array;
  private scratch = new Uint32Array(0);

  constructor(private readonly input: MiningInput) {
    this.words = (input.n + 31) >>> 5;
    this.sums = input.sums ?? [];
    this.table = new ItemsetTable(this.sums.length);
    this.sumBuf = new Float64Array(this.sums.length);
    // Per-item target code for id-list covers: bit 0 = in the denominator, bit 1 = failure.
    this.code = new Uint8Array(input.n);
    for (let i = 0; i < input.n; i++) {
      const w = i >>> 5;
      const b = i & 31;
      const inDen = input.den === null ? 1 : (input.den[w] >>> b) & 1;
      this.code[i] = inDen | (((input.fail[w] >>> b) & 1) << 1);
    }
    this.tidThreshold = input.tidListBelow ?? this.words;
    this.literalCount = Float64Array.from(input.literals, (bits) => popcount(bits));
    const ones = this.literalCount.reduce((a, b) => a + b, 0);
    this.avgRowLength = input.n > 0 ? ones / input.n : 0;
    let total = input.n;
    if (input.weights) {
      total = 0;
      for (let i = 0; i < input.n; i++) total += input.weights[i];
    }
    this.meanWeight = input.n > 0 && total > 0 ? total / input.n : 1;
    this.mark = new Int32Array(input.literals.length);
  }

  run(): MiningResult {
    const { literals, minCount, weights } = this.input;
    const roots: Member[] = [];
    for (let l = 0; l < literals.length; l++) {
      this.candidates++;
      const bits = literals[l];
      const count = popcount(bits);
      const weight = weights ? sumOver(bits, weights) : count;
      if (weight >= minCount && count > 0) {
        const [n, d, f] = this.targetCounts(bits, count);
        const tids = count < this.tidThreshold ? toIds(bits, count) : null;
        roots.push({ lit: l, bits: tids ? null : bits, tids, count, n, d, f });
      }
    }
    // Rarer literals first (Eclat's usual order): their classes are small, and the common
    // literals, which every class extends with, come last.
    roots.sort((a, b) => a.count - b.count || a.lit - b.lit);
    this.visit([], roots, 1);
    return { table: this.table, candidates: this.candidates };
  }

  private visit(prefix: number[], members: Member[], depth: number): void {
    const { maxDepth, groups } = this.input;
    const expand = maxDepth === 0 || depth < maxDepth;
    const leafChildren = maxDepth !== 0 && depth + 1 === maxDepth;
    for (let i = 0; i < members.length; i++) {
      const m = members[i];
      this.record(prefix, m);
      if (!expand || i === members.length - 1) continue;
      const path = [...prefix, m.lit];
      this.resetDepth(depth);
      const g = groups[m.lit];
      const siblings: number[] = [];
      for (let j = i + 1; j < members.length; j++) if (groups[members[j].lit] !== g) siblings.push(members[j].lit);
      if (siblings.length === 0) continue;
      this.candidates += siblings.length;
      if (maxDepth !== 0 && depth + 2 === maxDepth && this.useProjection(m, siblings)) {
        this.countProjected(path, m, siblings);
        continue;
      }
      const children: Member[] = [];
      for (const lit of siblings) {
        if (leafChildren) this.countLeaf(path, m, lit);
        else {
          const child = this.intersect(m, lit, depth);
          if (child) children.push(child);
        }
      }
      if (children.length > 0) this.visit(path, children, depth + 1);
    }
  }

  /**
   * Whether counting the two levels below m on projected bitsets is estimated cheaper than the
   * vertical search. Estimates assume literals independent of m: sibling b's child covers about
   * |m|·p_b items and is frequent when that reaches the support threshold. Costs are in bitset-word
   * operations over all n items (`words`), with the measured relative cost of a literal-list entry
   * scanned and of an id-list bit test.
   */
  private useProjection(m: Member, siblings: readonly number[]): boolean {
    const mode = this.input.projection ?? 'auto';
    const pw = (m.count + 31) >>> 5;
    if (mode === 'never' || (siblings.length + 1) * pw > MAX_PROJECTED_WORDS) return false;
    if (mode === 'always') return true;
    const threshold = this.input.minCount / this.meanWeight;
    let kids = 0;
    let childCover = 0;
    for (const b of siblings) {
      const c = (m.count * this.literalCount[b]) / this.input.n;
      if (c >= threshold) {
        kids++;
        childCover += c;
      }
    }
    childCover = kids > 0 ? childCover / kids : 0;
    const K = siblings.length;
    const pairs = (kids * (kids - 1)) / 2;
    const project = Math.min(m.count * K * COST_TID_TEST, m.count * this.avgRowLength * COST_SCAN) + (m.bits ? this.words + m.count : 0);
    const projected = project + K * pw * 3 + pairs * pw * 2;
    const perCandidate = (cover: number) => Math.min(this.words, cover * COST_TID_TEST);
    const vertical = K * (m.bits ? this.words : perCandidate(m.count)) + pairs * perCandidate(childCover) * 1.4;
    return projected < vertical;
  }

  /**
   * The two levels below m at once, on bitsets projected onto m's cover (used when the
   * grandchildren are at the depth limit): each sibling's bitset is restricted to m's covered
   * items and re-indexed by their position in the cover, so every later AND runs over |m|/32 words
   * instead of n/32 — the projected-database idea of FP-growth and LCM (Uno et al. 2004) applied to
   * bitsets. Records P∪{b} for frequent b, and P∪{b, c} for frequent b, c with a frequent cover —
   * the same conjunctions and counts as the vertical search.
   */
  private countProjected(path: number[], m: Member, siblings: readonly number[]): void {
    const { minCount, groups, weights, den } = this.input;
    const tids = m.tids ?? this.listItems(m.bits as Uint32Array, m.count);
    const T = tids.length;
    const PW = (T + 31) >>> 5;
    const K = siblings.length;
    // Slot 0 is scratch: literals that are not siblings land there, so the scan has no branch.
    const proj = new Uint32Array((K + 1) * PW);
    if (this.avgRowLength * COST_SCAN < K * COST_TID_TEST) {
      // Through the items' literal lists.
      const { rowStart, rowLits } = this.rows();
      const mark = this.mark;
      siblings.forEach((lit, s) => (mark[lit] = s + 1));
      for (let q = 0; q < T; q++) {
        const t = tids[q];
        const word = q >>> 5;
        const bit = 1 << (q & 31);
        const end = rowStart[t + 1];
        for (let p = rowStart[t]; p < end; p++) proj[mark[rowLits[p]] * PW + word] |= bit;
      }
      for (const lit of siblings) mark[lit] = 0;
    } else {
      // By one bit test per covered item and sibling.
      for (let s = 0; s < K; s++) {
        const bits = this.input.literals[siblings[s]];
        const base = (s + 1) * PW;
        for (let q = 0; q < T; q++) {
          const t = tids[q];
          proj[base + (q >>> 5)] |= ((bits[t >>> 5] >>> (t & 31)) & 1) << (q & 31);
        }
      }
    }
    const pDen = den ? new Uint32Array(PW) : null;
    const pFail = new Uint32Array(PW);
    const code = this.code;
    for (let q = 0; q < T; q++) {
      const c = code[tids[q]];
      if (pDen) pDen[q >>> 5] |= (c & 1) << (q & 31);
      pFail[q >>> 5] |= (c >>> 1) << (q & 31);
    }
    const pWeights = weights ? Float64Array.from(tids, (t) => weights[t]) : null;
    const pSums = this.sums.map((v) => Float64Array.from(tids, (t) => v[t]));
    const slot = (s: number) => proj.subarray((s + 1) * PW, (s + 2) * PW);

    // Children P∪{b}.
    const kids: number[] = [];
    const stats = new Float64Array(K * 3);
    for (let s = 0; s < K; s++) {
      const b = slot(s);
      const count = popcount(b);
      const n = pWeights ? sumOver(b, pWeights) : count;
      if (count === 0 || n < minCount) continue;
      kids.push(s);
      stats[s * 3] = n;
      stats[s * 3 + 1] = pDen ? (pWeights ? sumOverAnd(b, pDen, pWeights) : popcountAnd(b, pDen)) : n;
      stats[s * 3 + 2] = pWeights ? sumOverAnd(b, pFail, pWeights) : popcountAnd(b, pFail);
    }
    const both = new Uint32Array(PW);
    kids.forEach((s, i) => {
      const lit = siblings[s];
      const a = slot(s);
      for (let x = 0; x < pSums.length; x++) this.sumBuf[x] = sumOver(a, pSums[x]);
      this.table.add(path, lit, stats[s * 3], stats[s * 3 + 1], stats[s * 3 + 2], this.sumBuf);
      const leafPath = [...path, lit];
      // Grandchildren P∪{b, c}: pairs of frequent children only (Eclat's condition).
      for (let j = i + 1; j < kids.length; j++) {
        const other = siblings[kids[j]];
        if (groups[other] === groups[lit]) continue;
        this.candidates++;
        const count = andInto(both, a, slot(kids[j]));
        if (count === 0) continue;
        const n = pWeights ? sumOver(both, pWeights) : count;
        if (n < minCount) continue;
        const d = pDen ? (pWeights ? sumOverAnd(both, pDen, pWeights) : popcountAnd(both, pDen)) : n;
        const f = pWeights ? sumOverAnd(both, pFail, pWeights) : popcountAnd(both, pFail);
        for (let x = 0; x < pSums.length; x++) this.sumBuf[x] = sumOver(both, pSums[x]);
        this.table.add(leafPath, other, n, d, f, this.sumBuf);
      }
    });
  }

  /** The items of a bitset cover, in a scratch buffer valid until the next call. */
  private listItems(bits: Uint32Array, count: number): Uint32Array {
    if (this.scratch.length < count) this.scratch = new Uint32Array(Math.max(count, this.scratch.length * 2));
    extractInto(bits, this.scratch, 0);
    return this.scratch.subarray(0, count);
  }

  /** Each item's literals, ascending (CSR rows), built on first use from the literal bitsets. */
  private rows(): { rowStart: Uint32Array; rowLits: Uint16Array | Uint32Array } {
    if (this.csr) return this.csr;
    const { n, literals } = this.input;
    const rowStart = new Uint32Array(n + 1);
    for (const bits of literals) {
      for (let w = 0; w < bits.length; w++) {
        let x = bits[w];
        const base = (w << 5) + 1;
        while (x !== 0) {
          const low = x & -x;
          rowStart[base + 31 - Math.clz32(low)]++;
          x ^= low;
        }
      }
    }
    for (let t = 0; t < n; t++) rowStart[t + 1] += rowStart[t];
    const rowLits = literals.length < 65536 ? new Uint16Array(rowStart[n]) : new Uint32Array(rowStart[n]);
    const next = rowStart.slice(0, n);
    for (let l = 0; l < literals.length; l++) {
      const bits = literals[l];
      for (let w = 0; w < bits.length; w++) {
        let x = bits[w];
        const base = w << 5;
        while (x !== 0) {
          const low = x & -x;
          rowLits[next[base + 31 - Math.clz32(low)]++] = l;
          x ^= low;
        }
      }
    }
    this.csr = { rowStart, rowLits };
    return this.csr;
  }

  /** Records a materialized member with its counts and extra sums. */
  private record(prefix: number[], m: Member): void {
    const sums = this.sums;
    if (sums.length > 0) {
      this.sumBuf.fill(0);
      if (m.tids) {
        const tids = m.tids;
        for (let s = 0; s < sums.length; s++) {
          const v = sums[s];
          let acc = 0;
          for (let k = 0; k < tids.length; k++) acc += v[tids[k]];
          this.sumBuf[s] = acc;
        }
      } else {
        for (let s = 0; s < sums.length; s++) this.sumBuf[s] = sumOver(m.bits as Uint32Array, sums[s]);
      }
    }
    this.table.add(prefix, m.lit, m.n, m.d, m.f, this.sumBuf);
  }

  /** Weighted covered, denominator and failing counts of a bitset cover of `count` items. */
  private targetCounts(bits: Uint32Array, count: number): [number, number, number] {
    const { den, fail, weights } = this.input;
    if (weights) {
      const n = sumOver(bits, weights);
      return [n, den ? sumOverAnd(bits, den, weights) : n, sumOverAnd(bits, fail, weights)];
    }
    return [count, den ? popcountAnd(bits, den) : count, popcountAnd(bits, fail)];
  }

  /** cover(m) ∩ bits(lit), kept when frequent. */
  private intersect(m: Member, lit: number, depth: number): Member | null {
    const { weights, minCount } = this.input;
    const other = this.input.literals[lit];
    if (m.tids) {
      const parent = m.tids;
      const arena = this.arena(depth, parent.length);
      const buf = arena.buf;
      const start = arena.used;
      const code = this.code;
      let k = start;
      let n = 0;
      let d = 0;
      let f = 0;
      // Branch-free: a covered item is written and counted by multiplying with its bit.
      if (weights) {
        for (let q = 0; q < parent.length; q++) {
          const t = parent[q];
          const b = (other[t >>> 5] >>> (t & 31)) & 1;
          buf[k] = t;
          k += b;
          const c = code[t] * b;
          const w = weights[t] * b;
          n += w;
          d += (c & 1) * w;
          f += (c >>> 1) * w;
        }
      } else {
        for (let q = 0; q < parent.length; q++) {
          const t = parent[q];
          const b = (other[t >>> 5] >>> (t & 31)) & 1;
          buf[k] = t;
          k += b;
          const c = code[t] * b;
          d += c & 1;
          f += c >>> 1;
        }
        n = k - start;
      }
      const count = k - start;
      if (n < minCount || count === 0) return null;
      arena.used = k;
      return { lit, bits: null, tids: buf.subarray(start, k), count, n, d, f };
    }
    const bits = m.bits as Uint32Array;
    const slot = this.slot(depth);
    let count = 0;
    for (let w = 0; w < bits.length; w++) {
      const x = bits[w] & other[w];
      slot[w] = x;
      count += T16[x & 0xffff] + T16[x >>> 16];
    }
    const weight = weights ? sumOver(slot, weights) : count;
    if (weight < minCount || count === 0) return null;
    const [n, d, f] = this.targetCounts(slot, count);
    if (count < this.tidThreshold) {
      const arena = this.arena(depth, count);
      const start = arena.used;
      extractInto(slot, arena.buf, start);
      arena.used += count;
      return { lit, bits: null, tids: arena.buf.subarray(start, start + count), count, n, d, f };
    }
    this.poolUsed[depth]++; // keep the slot
    return { lit, bits: slot, tids: null, count, n, d, f };
  }

  /** Counts cover(m) ∩ bits(lit) at the depth limit without materializing it; records it when frequent. */
  private countLeaf(path: number[], m: Member, lit: number): void {
    const { den, fail, weights, minCount } = this.input;
    const other = this.input.literals[lit];
    const sums = this.sums;
    if (m.tids) {
      const code = this.code;
      const tids = m.tids;
      let n = 0;
      let d = 0;
      let f = 0;
      let count = 0;
      this.sumBuf.fill(0);
      for (let q = 0; q < tids.length; q++) {
        const t = tids[q];
        const b = (other[t >>> 5] >>> (t & 31)) & 1;
        const c = code[t] * b;
        const w = weights ? weights[t] * b : b;
        count += b;
        n += w;
        d += (c & 1) * w;
        f += (c >>> 1) * w;
      }
      if (n >= minCount && count > 0 && sums.length > 0) {
        for (let q = 0; q < tids.length; q++) {
          const t = tids[q];
          if ((other[t >>> 5] >>> (t & 31)) & 1) for (let s = 0; s < sums.length; s++) this.sumBuf[s] += sums[s][t];
        }
      }
      if (n >= minCount && count > 0) this.table.add(path, lit, n, d, f, this.sumBuf);
      return;
    }
    const bits = m.bits as Uint32Array;
    let count = 0;
    for (let w = 0; w < bits.length; w++) {
      const x = bits[w] & other[w];
      count += T16[x & 0xffff] + T16[x >>> 16];
    }
    if (count === 0) return;
    let n: number;
    let d: number;
    let f: number;
    if (weights) {
      n = sumOverAnd3(bits, other, null, weights);
      if (n < minCount) return;
      d = den ? sumOverAnd3(bits, other, den, weights) : n;
      f = sumOverAnd3(bits, other, fail, weights);
    } else {
      if (count < minCount) return;
      n = count;
      d = den ? popcountAnd3(bits, other, den) : n;
      f = popcountAnd3(bits, other, fail);
    }
    for (let s = 0; s < sums.length; s++) this.sumBuf[s] = sumOverAnd3(bits, other, null, sums[s]);
    this.table.add(path, lit, n, d, f, this.sumBuf);
  }

  private resetDepth(depth: number): void {
    this.poolUsed[depth] = 0;
    if (this.tidArena[depth]) this.tidArena[depth].used = 0;
  }

  /** The next free bitset buffer for children made at this depth (reused across classes). */
  private slot(depth: number): Uint32Array {
    const pool = (this.bitPool[depth] ??= []);
    const used = this.poolUsed[depth] ?? 0;
    if (used === pool.length) pool.push(new Uint32Array(this.words));
    return pool[used];
  }

  /** Id-list space for children made at this depth; old buffers stay alive through the views that use them. */
  private arena(depth: number, need: number): { buf: Uint32Array; used: number } {
    let a = this.tidArena[depth];
    if (!a) a = this.tidArena[depth] = { buf: new Uint32Array(Math.max(1024, need * 4)), used: 0 };
    if (a.used + need > a.buf.length) {
      a.buf = new Uint32Array(Math.max(a.buf.length * 2, need * 4));
      a.used = 0;
    }
    return a;
  }
}

function toIds(bits: Uint32Array, count: number): Uint32Array {
  const out = new Uint32Array(count);
  extractInto(bits, out, 0);
  return out;
}
