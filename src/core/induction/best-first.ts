import { andInto, popcount, popcountAnd, sumOver, sumOverAnd, wordCount } from './bitset';
import type { MiningInput, MiningResult } from './eclat';
import { ItemsetTable } from './itemset-table';

interface Node {
  lits: number[];
  groups: Set<number>;
  cover: Uint32Array;
  oe: number;
  index: number;
}

/**
 * The top-k conjunctions by WRAcc = (f_R − p₀·d_R) / D, best-first with optimistic-estimate pruning
 * (Wrobel 1997; Grosskreutz, Rüping & Wrobel, PKDD 2008): a refinement of R can at best keep only R's
 * failures, so WRAcc(R') ≤ f_R·(1 − p₀)/D (loss target: Σ_R w·max(0, y − μ₀)/N). Nodes are expanded in
 * decreasing order of that bound and the search stops once it cannot beat the k-th best, so the result
 * is the exact top-k among conjunctions above the support threshold. Every frequent conjunction it
 * evaluates is recorded (those are the candidates tested); `top` lists the k best table indices.
 * `overall` gives the target's whole-data denominator and failures (loss: Σ w and Σ w·loss);
 * `excess` (loss target) holds w·max(0, y − μ₀) per item and `lossSum` w·y; for rate targets pass null.
 */
export function mineTopWracc(
  input: MiningInput,
  k: number,
  overall: { den: number; fail: number },
  excess: Float64Array | null,
  lossSum: Float64Array | null,
): MiningResult & { top: number[] } {
  const { n, literals, groups, den, fail, weights, minCount, maxDepth } = input;
  const words = wordCount(n);
  const sums = input.sums ?? [];
  const table = new ItemsetTable(sums.length);
  const sumBuf = new Float64Array(sums.length);
  const weigh = (b: Uint32Array, mask: Uint32Array | null) => (weights ? (mask ? sumOverAnd(b, mask, weights) : sumOver(b, weights)) : mask ? popcountAnd(b, mask) : popcount(b));
  const D = overall.den;
  const p0 = overall.fail / D;
  let candidates = 0;

  const best: Array<{ index: number; wracc: number }> = [];
  const kth = () => (best.length < k ? -Infinity : best[best.length - 1].wracc);
  const offer = (index: number, wracc: number) => {
    if (best.length === k && wracc <= kth()) return;
    let at = best.length;
    while (at > 0 && best[at - 1].wracc < wracc) at--;
    best.splice(at, 0, { index, wracc });
    if (best.length > k) best.pop();
  };

  const queue = new MaxHeap<Node>((a, b) => a.oe - b.oe);
  const evaluate = (parent: Node | null, lit: number): Node | null => {
    candidates++;
    const cover = new Uint32Array(words);
    if (parent) andInto(cover, parent.cover, literals[lit]);
    else cover.set(literals[lit]);
    const count = weigh(cover, null);
    if (count < minCount || count === 0) return null;
    const d = den ? weigh(cover, den) : count;
    const f = lossSum ? sumOver(cover, lossSum) : weigh(cover, fail);
    for (let s = 0; s < sums.length; s++) sumBuf[s] = sumOver(cover, sums[s]);
    const prefix = parent ? parent.lits : [];
    const index = table.add(prefix, lit, count, d, f, sumBuf);
    const wracc = (f - p0 * d) / D;
    offer(index, wracc);
    const oe = excess ? sumOver(cover, excess) / D : (f * (1 - p0)) / D;
    const groupsOf = new Set(parent ? parent.groups : []);
    groupsOf.add(groups[lit]);
    return { lits: [...prefix, lit], groups: groupsOf, cover, oe, index };
  };

  for (let l = 0; l < literals.length; l++) {
    const node = evaluate(null, l);
    if (node) queue.push(node);
  }
  while (queue.size > 0) {
    const node = queue.pop() as Node;
    if (node.oe <= kth()) break;
    if (maxDepth !== 0 && node.lits.length >= maxDepth) continue;
    const last = node.lits[node.lits.length - 1];
    for (let l = last + 1; l < literals.length; l++) {
      if (node.groups.has(groups[l])) continue;
      const child = evaluate(node, l);
      if (child && child.oe > kth()) queue.push(child);
    }
  }
  return { table, candidates, top: best.map((b) => b.index) };
}

/** A binary max-heap. */
class MaxHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly cmp: (a: T, b: T) => number) {}
  get size(): number {
    return this.items.length;
  }
  push(x: T): void {
    const a = this.items;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.cmp(a[i], a[p]) <= 0) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }
  pop(): T | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop() as T;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.cmp(a[l], a[m]) > 0) m = l;
        if (r < a.length && this.cmp(a[r], a[m]) > 0) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}
