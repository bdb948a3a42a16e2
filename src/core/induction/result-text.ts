import { int, pct } from './sentence';
import type { InductionResult } from './types';

/**
 * A plain-text report of an induction result: a summary line, a table with one row per rule
 * (rank, rate, Δ, lift, items, t, q, gain per 1,000 and, with a holdout, the holdout Δ and whether
 * it replicated) and then each rule's sentence.
 */
export function resultTable(r: InductionResult): string {
  const o = r.data.overall;
  const lines: string[] = [];
  const target = r.positive !== undefined ? `${r.target} (positive ${r.positive})` : r.target;
  // A loss target's "rate" is a mean loss, not a proportion.
  const rate = r.target === 'loss' ? (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(3)).toString() : 'n/a') : pct;
  const overall = r.target === 'loss' ? `mean loss ${rate(o.rate)} over ${int(o.denominator)}` : `overall rate ${pct(o.rate)} (${int(o.failures)} of ${int(o.denominator)})`;
  lines.push(
    `${target}: ${overall}; ${int(r.data.discoveryItems)} discovery items` +
      (r.data.holdoutItems > 0 ? `, ${int(r.data.holdoutItems)} holdout (seed ${r.data.seed})` : ''),
  );
  const f = r.funnel;
  lines.push(
    `${int(r.search.literals)} literals, ${int(r.search.candidates)} candidates, ${int(f.tested)} frequent and tested → ${int(f.positive)} above overall → ` +
      `${int(f.significant)} with q ≤ ${r.params.maxQ} → ${int(f.nonRedundant)} non-redundant → ${int(f.productive)} productive → ${int(f.returned)} shown (${r.search.elapsedMs} ms)`,
  );
  if (r.rules.length === 0) {
    lines.push('', 'No rule passed the filters.');
    return lines.join('\n') + '\n';
  }
  const hold = r.data.holdoutItems > 0;
  const head = ['#', 'rate', 'Δ', 'lift', 'items', 't', 'q', 'gain/1k', ...(hold ? ['hold Δ', 'repl.'] : []), 'when'];
  const rows = r.rules.map((rule, i) => {
    const s = rule.stats;
    return [
      String(i + 1),
      rate(s.rate),
      signed(s.delta),
      Number.isFinite(s.lift) ? `×${s.lift.toFixed(1)}` : 'n/a',
      int(s.count),
      s.t.toFixed(1),
      sci(s.q),
      s.gainPer1000.toFixed(1),
      ...(hold && rule.holdout ? [signed(rule.holdout.delta), rule.holdout.replicated ? 'yes' : 'NO'] : []),
      rule.condition,
    ];
  });
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const last = head.length - 1;
  // Numbers right-aligned; the condition, last, left as it is.
  const fmt = (cells: string[]) => cells.map((cell, c) => (c === last ? cell : cell.padStart(widths[c]))).join('  ');
  lines.push('', fmt(head), ...rows.map(fmt), '');
  r.rules.forEach((rule, i) => lines.push(`${i + 1}. ${rule.sentence}`));
  return lines.join('\n') + '\n';
}

function signed(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  return `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}`;
}

function sci(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  if (x === 0) return '0';
  if (x >= 0.001) return x.toFixed(3);
  return x.toExponential(1);
}
