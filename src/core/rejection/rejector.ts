import type { TopLevelCondition } from 'json-rules-engine';
import { invalid } from '../errors';
import { compileConditions, compilePredicate, factSlots, type CompiledConditions, type SlotPredicate } from './rule-compiler';
import { CONFIDENCE_FACT, PREDICTED_FACT, conceptFact, conceptOfFact, referencedFacts, type CaveatRule, type RuleAction } from './rule-model';

/**
 * A rule set prepared for deciding: compiled once when the set is loaded or activated, then
 * shared by every decision (DESIGN §5). It fixes the fact slots, compiles the rules and the
 * attribute concepts, and indexes the text detectors, so that a decision only fills slots.
 */

/** A concept defined by a condition over the item's attributes (DESIGN §3, source 1). */
export interface AttributeConcept {
  name: string;
  conditions: TopLevelCondition;
}

/**
 * Text concept detectors that share one preparation of the request text (tokenized and
 * stemmed once per decision). src/core/detectors builds one; the rejector never imports natural.
 */
export interface TextDetectors<P = unknown> {
  prepare(text: string): P;
  detectors: ReadonlyArray<{ readonly concept: string; detect(prepared: P): boolean }>;
}

export interface RejectorSpec {
  rules: readonly CaveatRule[];
  attributeConcepts?: readonly AttributeConcept[];
  text?: TextDetectors;
}

/** What a decision reports about a matched rule. */
export interface MatchedRule {
  readonly id: string;
  readonly sentence: string;
  readonly action: Readonly<RuleAction>;
}

/** How one referenced concept is resolved when the caller does not flag it. */
export interface ConceptResolver {
  readonly name: string;
  readonly slot: number;
  /** Attribute definition: holds iff `predicate`, resolved only when every slot in `needs` has a value. */
  readonly predicate?: SlotPredicate;
  readonly needs?: Int32Array;
  /** Index into `text.detectors`, or -1. */
  readonly detector: number;
}

export interface PreparedRejector {
  readonly rules: readonly MatchedRule[];
  readonly compiled: CompiledConditions;
  /** Slot layout shared by the rules and the attribute concepts. */
  readonly slotNames: readonly string[];
  readonly predictedSlot: number;
  readonly confidenceSlot: number;
  /** Attribute facts the rules or attribute concepts read: slot and attribute name. */
  readonly attributeSlots: Int32Array;
  readonly attributeNames: readonly string[];
  /** Concepts the rules read, in slot order. */
  readonly concepts: readonly ConceptResolver[];
  /** The slot of each of `concepts`, and concept name → slot (a prototype-less object: faster than a Map for string keys here): the per-decision loops read these, not the resolvers. */
  readonly conceptSlots: Int32Array;
  readonly conceptSlotOf: Readonly<Record<string, number>>;
  readonly text?: TextDetectors;
  /** Per-decision scratch (decisions are synchronous, so one buffer per prepared set is safe). */
  readonly values: unknown[];
  readonly matched: Int32Array;
  /** The column of each of `concepts` in the last flag-code names read (fillFacts), or -1. */
  readonly flagColumns: { names: readonly string[] | null; columns: Int32Array };
}

/** Compiles a rule set with its concept sources into a PreparedRejector (throws invalid_input on a bad definition). */
export function prepareRejector(spec: RejectorSpec): PreparedRejector {
  const ruleConditions = spec.rules.map((r) => r.conditions);
  const attributeConcepts = new Map<string, AttributeConcept>();
  for (const [i, c] of (spec.attributeConcepts ?? []).entries()) {
    if (attributeConcepts.has(c.name)) throw invalid(`attributeConcepts[${i}].name`, `concept '${c.name}' is defined twice`);
    for (const f of referencedFacts([c.conditions])) {
      if (conceptOfFact(f) !== undefined) throw invalid(`attributeConcepts[${i}].conditions`, `an attribute concept reads attributes, not other concepts ('${f}')`);
    }
    attributeConcepts.set(c.name, c);
  }
  const detectorOf = new Map<string, number>();
  spec.text?.detectors.forEach((d, i) => {
    if (detectorOf.has(d.concept)) throw invalid(`text.detectors[${i}].concept`, `concept '${d.concept}' has two text detectors`);
    detectorOf.set(d.concept, i);
  });

  const ruleFacts = referencedFacts(ruleConditions);
  const usedConcepts = ruleFacts.map(conceptOfFact).filter((c): c is string => c !== undefined);
  // Only the attribute concepts the rules read matter; their attributes get slots too.
  const definitionFacts = referencedFacts(usedConcepts.flatMap((c) => (attributeConcepts.has(c) ? [attributeConcepts.get(c)!.conditions] : [])));
  const slots = factSlots([...ruleFacts, ...definitionFacts]);
  const compiled = compileConditions(ruleConditions, slots);

  const attributeSlots: number[] = [];
  const attributeNames: string[] = [];
  slots.names.forEach((name, slot) => {
    if (name !== PREDICTED_FACT && name !== CONFIDENCE_FACT && conceptOfFact(name) === undefined) {
      attributeSlots.push(slot);
      attributeNames.push(name);
    }
  });
  const concepts: ConceptResolver[] = usedConcepts.map((name) => {
    const slot = slots.index.get(conceptFact(name))!;
    const def = attributeConcepts.get(name);
    const detector = detectorOf.get(name) ?? -1;
    if (!def) return { name, slot, detector };
    const needs = Int32Array.from(referencedFacts([def.conditions]).map((f) => slots.index.get(f)!));
    return { name, slot, detector, predicate: compilePredicate(def.conditions, slots), needs };
  });

  return {
    rules: spec.rules.map((r) => Object.freeze({ id: r.id, sentence: r.sentence, action: Object.freeze({ ...r.action }) })),
    compiled,
    slotNames: slots.names,
    predictedSlot: slots.index.get(PREDICTED_FACT) ?? -1,
    confidenceSlot: slots.index.get(CONFIDENCE_FACT) ?? -1,
    attributeSlots: Int32Array.from(attributeSlots),
    attributeNames,
    concepts,
    conceptSlots: Int32Array.from(concepts.map((c) => c.slot)),
    conceptSlotOf: Object.assign(Object.create(null) as Record<string, number>, Object.fromEntries(concepts.map((c) => [c.name, c.slot]))),
    text: spec.text,
    values: new Array<unknown>(slots.names.length).fill(undefined),
    matched: new Int32Array(spec.rules.length),
    flagColumns: { names: null, columns: new Int32Array(concepts.length) },
  };
}
