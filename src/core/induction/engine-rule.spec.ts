import { Engine } from 'json-rules-engine';
import { seededRng } from '../random/rng';
import { hasBit } from './bitset';
import { coverOf, encodeSplit } from './encoded-split';
import { induceRules, splitRows } from './induce';
import { buildLiterals } from './literals';
import type { InductionDataset } from './types';

/** Mixed items: categorical (with a missing value), numeric (with NaN), a concept (with unknowns), prediction and confidence. */
function mixedDataset(n: number): InductionDataset {
  const rng = seededRng(3);
  const colour = Array.from({ length: n }, () => (rng.next() < 0.05 ? null : ['red', 'green', 'blue, dark'][rng.int(3)]));
  const age = Float64Array.from({ length: n }, () => (rng.next() < 0.05 ? NaN : 18 + rng.int(60)));
  const dark = Array.from({ length: n }, () => (rng.next() < 0.1 ? null : rng.next() < 0.3 ? 1 : 0));
  const label = Array.from({ length: n }, () => (rng.next() < 0.4 ? 'cat' : 'dog'));
  const confidence = Float64Array.from({ length: n }, () => 0.5 + rng.next() / 2);
  const predicted = label.map((y, i) => {
    const hard = dark[i] === 1 && age[i] >= 50;
    return rng.next() < (hard ? 0.6 : 0.15) ? (y === 'cat' ? 'dog' : 'cat') : y;
  });
  return {
    columns: [
      { kind: 'categorical', name: 'colour', values: colour },
      { kind: 'numeric', name: 'age', values: age },
      { kind: 'concept', name: 'dark photo', values: dark },
    ],
    label,
    predicted,
    confidence,
  };
}

/** The item as engine facts: attribute names, `predicted`, `confidence`, `concept:<name>`; unknowns left out. */
function factsOf(d: InductionDataset, i: number): Record<string, unknown> {
  const facts: Record<string, unknown> = { predicted: (d.predicted as string[])[i], confidence: (d.confidence as Float64Array)[i] };
  for (const col of d.columns) {
    const v = col.values[i];
    if (col.kind === 'concept') {
      if (v === 1 || v === 0) facts[`concept:${col.name}`] = v === 1;
    } else if (v !== null && !(typeof v === 'number' && Number.isNaN(v))) facts[col.name] = v;
  }
  return facts;
}

describe('rules compiled for json-rules-engine', () => {
  const n = 600;
  const data = mixedDataset(n);
  const result = induceRules(data, {
    target: 'error',
    minSupport: 0.02,
    maxDepth: 3,
    bins: 3,
    predictedLiterals: true,
    confidenceBands: 2,
    maxQ: 1,
    productive: false,
    onlyPositive: false,
    top: 60,
  });

  it('covers every literal kind', () => {
    const kinds = new Set(result.rules.flatMap((r) => r.literals.map((l) => l.kind)));
    expect([...kinds].sort()).toEqual(['bin', 'categorical', 'concept', 'confidence', 'predicted']);
  });

  it('matches exactly the items the bitsets say each rule covers (real Engine, await run)', async () => {
    const { discovery } = splitRows(n, 0, 1);
    const defs = buildLiterals(data, discovery, { bins: 3, binning: 'quantile', predictedLiterals: true, confidenceBands: 2, conceptAbsent: true });
    const split = encodeSplit(data, defs, discovery, { target: 'error', costPolicy: { V: 1, D: -1, W: -5 } });
    const idOf = (l: (typeof result.rules)[number]['literals'][number]) =>
      defs.findIndex((d) => d.fact === l.fact && d.kind === l.kind && d.value === l.value && d.present === l.present && d.lower === l.lower && d.upper === l.upper);

    const engine = new Engine(
      result.rules.map((r) => r.engine),
      { allowUndefinedFacts: true },
    );
    const matched = result.rules.map(() => new Set<number>());
    for (let i = 0; i < n; i++) {
      const { events } = await engine.run(factsOf(data, i));
      for (const e of events) matched[result.rules.findIndex((r) => r.id === e.params?.id)].add(i);
    }
    result.rules.forEach((rule, k) => {
      const ids = rule.literals.map(idOf);
      expect(ids.every((x) => x >= 0)).toBe(true);
      const cover = coverOf(split, ids);
      const expected = Array.from({ length: n }, (_, i) => i).filter((i) => hasBit(cover, i));
      expect([...matched[k]].sort((a, b) => a - b)).toEqual(expected);
      expect(expected.length).toBe(rule.stats.count);
    });
  });

  it('states conditions as facts and operators, and carries id, sentence and statistics', () => {
    const r = result.rules[0];
    expect(r.engine.event.type).toBe('caveat.rule');
    expect(r.engine.event.params).toMatchObject({ id: r.id, sentence: r.sentence, stats: { count: r.stats.count, q: r.stats.q } });
    const all = (r.engine.conditions as { all: Array<{ fact: string; operator: string }> }).all;
    for (const c of all) expect(['equal', 'greaterThanInclusive', 'lessThan']).toContain(c.operator);
    expect(JSON.parse(JSON.stringify(r.engine))).toEqual(r.engine);
  });

  it('names concept facts concept:<name> and keeps values verbatim (a value with a comma)', () => {
    const facts = result.rules.flatMap((r) => r.literals).map((l) => l.fact);
    expect(facts).toContain('concept:dark photo');
    const values = result.rules.flatMap((r) => r.literals).flatMap((l) => (l.kind === 'categorical' ? [l.value] : []));
    expect(values).toContain('blue, dark');
  });
});
