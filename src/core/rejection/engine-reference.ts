import { Engine, type TopLevelCondition } from 'json-rules-engine';

/**
 * json-rules-engine itself, as the reference the compiled predicate must agree with (the
 * equivalence property test and the bench baseline). One Engine per rule set, built once;
 * `allowUndefinedFacts: true` because a fact a request does not carry must not throw.
 */
export interface ReferenceEngine {
  /** Indices of the conditions that hold for `facts`, ascending. */
  match(facts: Record<string, unknown>): Promise<number[]>;
}

export function referenceEngine(conditions: readonly TopLevelCondition[]): ReferenceEngine {
  const engine = new Engine([], { allowUndefinedFacts: true });
  conditions.forEach((c, i) => engine.addRule({ name: String(i), conditions: structuredClone(c), event: { type: 'match', params: { index: i } } }));
  return {
    async match(facts) {
      const { results } = await engine.run(facts);
      return results.map((r) => (r.event?.params as { index: number }).index).sort((a, b) => a - b);
    },
  };
}
