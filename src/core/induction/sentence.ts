import type { InductionTarget } from './types';

export interface SentenceInput {
  target: InductionTarget;
  positive?: string;
  /** The literals' texts, e.g. `marital status is Married`. */
  conditions: readonly string[];
  count: number;
  denominator: number;
  rate: number;
  overallRate: number;
  /** G_R per 1,000 predictions; null when no value can be computed. */
  gainPer1000: number | null;
}

/** The conjunction in words: `a and b and c` (values may hold commas, so no serial list). */
export const conditionText = (conditions: readonly string[]): string => (conditions.length === 0 ? 'always' : conditions.join(' and '));

/**
 * The rule as a sentence that names the target's own denominator (DESIGN §4), e.g.
 * "The model fails when … : 61% of 240 items fail, against 12% overall (×5.1). Rejecting them gains
 * 18 value units per 1,000 predictions." Attribute values and concept names appear verbatim.
 */
export function ruleSentence(s: SentenceInput): string {
  const when = conditionText(s.conditions);
  const against = `against ${pct(s.overallRate)} overall`;
  const lift = liftText(s.rate, s.overallRate);
  const items = `${int(s.count)} ${s.count === 1 ? 'item' : 'items'}`;
  const gain = gainText(s.gainPer1000);
  switch (s.target) {
    case 'error':
      return `The model fails when ${when}: ${pct(s.rate)} of ${int(s.denominator)} items fail, ${against}${paren(lift)}.${gain}`;
    case 'accepted-error':
      return `The model fails confidently when ${when}: ${pct(s.rate)} of ${int(s.denominator)} items are accepted and wrong, ${against}${paren(lift)}.${gain}`;
    case 'fpr':
      return `The model gives false positives when ${when}: ${pct(s.rate)} of its true negatives there are predicted ${s.positive}, ${against}${paren(lift, items)}.`;
    case 'fnr':
      return `The model gives false negatives when ${when}: ${pct(s.rate)} of its true positives there are not predicted ${s.positive}, ${against}${paren(lift, items)}.`;
    case 'loss':
      return `The model's loss is higher when ${when}: a mean loss of ${num(s.rate)} over ${items}, against ${num(s.overallRate)} overall${paren(lift)}.`;
  }
}

function paren(...parts: Array<string | null>): string {
  const kept = parts.filter((p): p is string => p !== null);
  return kept.length === 0 ? '' : ` (${kept.join('; ')})`;
}

function liftText(rate: number, base: number): string | null {
  if (!(base > 0) || !Number.isFinite(rate)) return null;
  const l = rate / base;
  return `×${l >= 10 ? Math.round(l).toString() : l.toFixed(1)}`;
}

function gainText(g: number | null): string {
  if (g === null || !Number.isFinite(g)) return '';
  const mag = Math.abs(g);
  const shown = mag >= 10 ? int(mag) : mag.toFixed(1);
  if (shown === '0.0') return ' Rejecting them changes the value by less than 0.1 unit per 1,000 predictions.';
  return g > 0 ? ` Rejecting them gains ${shown} value units per 1,000 predictions.` : ` Rejecting them would lose ${shown} value units per 1,000 predictions.`;
}

/** A proportion as a percentage: whole percents from 1%, one decimal below, `<0.1%` for tiny non-zero rates. */
export function pct(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  const p = x * 100;
  if (p === 0) return '0%';
  if (p >= 1) return `${Math.round(p)}%`;
  if (p >= 0.1) return `${p.toFixed(1)}%`;
  return '<0.1%';
}

/** An integer with thousands separators: 3,094 (by hand: toLocaleString loads ICU, ~20 ms on first use). */
export function int(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  const digits = Math.abs(Math.round(x)).toString();
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return x < 0 && digits !== '0' ? `-${out}` : out;
}

function num(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  return Math.abs(x) >= 100 ? int(x) : Number(x.toPrecision(3)).toString();
}
