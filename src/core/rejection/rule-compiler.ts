import type { TopLevelCondition } from 'json-rules-engine';
import { CaveatError } from '../errors';
import { booleanOperatorOf, referencedFacts, type NestedCondition } from './rule-model';

/**
 * Compiles json-rules-engine conditions into generated JavaScript for the decision hot path
 * (../shared/STACK.md measured generated code at ~900k evaluations/s against ~2k/s for
 * `Engine.run`). The generated code mirrors json-rules-engine 7.3.1 exactly for its built-in
 * operators, run with `allowUndefinedFacts: true` (dist/engine-default-operators.js, rule.js):
 * - a missing fact is `undefined` and is compared as such (`undefined < 5` is false, `notEqual` is true);
 * - equal/notEqual are `===`/`!==`; in/notIn are `value.indexOf(fact) > -1` / `=== -1`;
 * - contains/doesNotContain are `fact.indexOf(value)` and false unless the fact is an array;
 * - the four numeric comparisons are false unless `parseFloat(fact)` is a number, then plain `<`, `<=` …
 *   (so a numeric string fact compares by coercion, as in the engine);
 * - an empty `all` is true, and so is an empty `any` (the engine treats both alike);
 * - a condition holding several of any/all/not is read as the engine reads it: any, then all, then not.
 * Only constants and slot numbers enter the generated source: constants through JSON.stringify
 * or a constant table, fact names never (facts are read from an array by slot).
 */

/** The facts a compiled set reads, each at a fixed slot of the values array. */
export interface FactSlots {
  readonly names: readonly string[];
  readonly index: ReadonlyMap<string, number>;
}

export function factSlots(names: Iterable<string>): FactSlots {
  const list = [...new Set(names)];
  return { names: list, index: new Map(list.map((n, i) => [n, i])) };
}

export interface CompiledConditions {
  /** Number of compiled conditions (rules). */
  readonly size: number;
  readonly slots: FactSlots;
  /**
   * Writes the indices of the conditions that hold, ascending, into `out` (length ≥ size) and
   * returns their count. `values[slot]` is the value of fact `slots.names[slot]` (undefined when absent).
   */
  matchSlots(values: ArrayLike<unknown>, out: Int32Array): number;
  /** Convenience form over a facts object (own properties only); allocates. */
  match(facts: Readonly<Record<string, unknown>>): number[];
}

export type SlotPredicate = (values: ArrayLike<unknown>) => boolean;

// json-rules-engine's numeric fact validator, verbatim (engine-default-operators.js).
const numberValidator = (factValue: unknown): boolean => Number.parseFloat(factValue as string).toString() !== 'NaN';
const isArray = Array.isArray;

// Inline membership tests up to this many values; a Set above it.
const INLINE_IN = 8;
// Keeps each generated function small enough for V8 to optimize it.
const CHUNK_RULES = 32;
const CHUNK_SOURCE = 24_000;

const unsupported = (what: string): CaveatError => new CaveatError('unprocessable', `cannot compile rule conditions: ${what}`);
const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** Generates expression source for conditions; collects the constants and slots it uses. */
class Codegen {
  readonly constants: unknown[] = [];
  readonly used = new Set<number>();

  constructor(private readonly slots: FactSlots) {}

  top(c: TopLevelCondition): string {
    if (c === null || typeof c !== 'object' || Array.isArray(c)) throw unsupported('conditions must be an object');
    if (has(c, 'condition')) throw unsupported('shared condition references');
    if (booleanOperatorOf(c) === undefined) throw unsupported('the root must be all, any or not');
    return this.expr(c);
  }

  private expr(c: NestedCondition | TopLevelCondition): string {
    if (c === null || typeof c !== 'object' || Array.isArray(c)) throw unsupported('a condition must be an object');
    const op = booleanOperatorOf(c);
    const rec = c as unknown as Record<string, unknown>;
    if (op === 'not') {
      const sub = rec.not;
      if (sub === null || typeof sub !== 'object' || Array.isArray(sub)) throw unsupported("'not' takes one condition");
      return `!${this.expr(sub as NestedCondition)}`;
    }
    if (op !== undefined) {
      const subs = rec[op];
      if (!Array.isArray(subs)) throw unsupported(`'${op}' takes an array`);
      // Empty all and empty any are both true in json-rules-engine (rule.js prioritizeAndRun).
      if (subs.length === 0) return 'true';
      return `(${subs.map((s) => this.expr(s as NestedCondition)).join(op === 'all' ? ' && ' : ' || ')})`;
    }
    if (has(c, 'condition')) throw unsupported('shared condition references');
    return this.leaf(rec);
  }

  private leaf(c: Record<string, unknown>): string {
    if (typeof c.fact !== 'string' || c.fact === '') throw unsupported('a comparison needs a fact name');
    if (!has(c, 'operator') || !has(c, 'value')) throw unsupported(`comparison on '${c.fact}' needs operator and value`);
    if (has(c, 'path') || has(c, 'params')) throw unsupported(`'path'/'params' on fact '${c.fact}'`);
    const value = c.value;
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && has(value, 'fact')) {
      throw unsupported(`a fact reference as the value of '${c.fact}'`);
    }
    const slot = this.slots.index.get(c.fact);
    if (slot === undefined) throw unsupported(`fact '${c.fact}' has no slot`);
    this.used.add(slot);
    const a = `f${slot}`;
    switch (c.operator) {
      case 'equal':
        return `(${a} === ${this.literal(value)})`;
      case 'notEqual':
        return `(${a} !== ${this.literal(value)})`;
      case 'lessThan':
        return this.numeric(a, '<', value);
      case 'lessThanInclusive':
        return this.numeric(a, '<=', value);
      case 'greaterThan':
        return this.numeric(a, '>', value);
      case 'greaterThanInclusive':
        return this.numeric(a, '>=', value);
      case 'in':
        return this.member(a, value, true);
      case 'notIn':
        return this.member(a, value, false);
      case 'contains':
        return `(isArr(${a}) && ${a}.indexOf(${this.literal(value)}) > -1)`;
      case 'doesNotContain':
        return `(isArr(${a}) && ${a}.indexOf(${this.literal(value)}) === -1)`;
      default:
        throw unsupported(`unknown operator ${JSON.stringify(c.operator)}`);
    }
  }

  private numeric(a: string, cmp: string, value: unknown): string {
    // For a number, parseFloat(String(x)) is NaN only when x is NaN, so the validator reduces to x === x.
    return `((typeof ${a} === "number" ? ${a} === ${a} : nv(${a})) && ${a} ${cmp} ${this.literal(value)})`;
  }

  private member(a: string, value: unknown, positive: boolean): string {
    if (!Array.isArray(value)) {
      // Not an array (e.g. a string, where indexOf is a substring test): call indexOf as the engine does.
      return `(${this.constant(value)}.indexOf(${a}) ${positive ? '> -1' : '=== -1'})`;
    }
    let test: string;
    if (value.length === 0) test = 'false';
    else if (value.length <= INLINE_IN) test = `(${value.map((v) => `${a} === ${this.literal(v)}`).join(' || ')})`;
    // Set#has uses SameValueZero, which differs from indexOf's === only for NaN.
    else if (value.some((v) => Number.isNaN(v))) test = `(${this.constant(value)}.indexOf(${a}) > -1)`;
    else test = `${this.constant(new Set(value))}.has(${a})`;
    return positive ? test : `!${test}`;
  }

  private literal(v: unknown): string {
    switch (typeof v) {
      case 'string':
        return JSON.stringify(v);
      case 'boolean':
        return v ? 'true' : 'false';
      case 'undefined':
        return '(void 0)';
      case 'number':
        if (Number.isNaN(v)) return 'NaN';
        if (Object.is(v, -0)) return '(-0)';
        if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '(-Infinity)';
        return `(${JSON.stringify(v)})`;
      default:
        return v === null ? 'null' : this.constant(v);
    }
  }

  private constant(v: unknown): string {
    this.constants.push(v);
    return `K[${this.constants.length - 1}]`;
  }

  /** `var f3 = v[3], …;` for the slots used so far. */
  loads(): string {
    if (this.used.size === 0) return '';
    return `var ${[...this.used].map((s) => `f${s} = v[${s}]`).join(', ')};`;
  }
}

type ChunkFn = (v: ArrayLike<unknown>, out: Int32Array, n: number) => number;

function buildChunk(body: string[], gen: Codegen): ChunkFn {
  const src = `"use strict"; return function chunk(v, out, n) { ${gen.loads()} ${body.join(' ')} return n; };`;
  return new Function('nv', 'isArr', 'K', src)(numberValidator, isArray, gen.constants) as ChunkFn;
}

/** Slots for the facts read by `conditions`, in order of first use. */
export const slotsFor = (conditions: Iterable<TopLevelCondition>): FactSlots => factSlots(referencedFacts(conditions));

/**
 * Compiles rule conditions into one matcher over fact slots (json-rules-engine semantics, see
 * above). Throws `unprocessable` on a shape that is not supported (validate rules first).
 */
export function compileConditions(conditions: readonly TopLevelCondition[], slots: FactSlots = slotsFor(conditions)): CompiledConditions {
  const chunks: ChunkFn[] = [];
  let gen = new Codegen(slots);
  let body: string[] = [];
  let size = 0;
  conditions.forEach((c, i) => {
    const line = `if (${gen.top(c)}) out[n++] = ${i};`;
    body.push(line);
    size += line.length;
    if (body.length >= CHUNK_RULES || size >= CHUNK_SOURCE) {
      chunks.push(buildChunk(body, gen));
      gen = new Codegen(slots);
      body = [];
      size = 0;
    }
  });
  if (body.length > 0) chunks.push(buildChunk(body, gen));
  const calls = chunks.map((_, i) => `n = c${i}(v, out, n);`).join(' ');
  const matchSlots = new Function(...chunks.map((_, i) => `c${i}`), `"use strict"; return function matchSlots(v, out) { var n = 0; ${calls} return n; };`)(
    ...chunks,
  ) as CompiledConditions['matchSlots'];
  const scratch = new Int32Array(conditions.length);
  return {
    size: conditions.length,
    slots,
    matchSlots,
    match(facts) {
      const n = matchSlots(slotValues(slots, facts), scratch);
      return Array.from(scratch.subarray(0, n));
    },
  };
}

/** One condition as a predicate over fact slots (attribute concepts use it). */
export function compilePredicate(condition: TopLevelCondition, slots: FactSlots): SlotPredicate {
  const gen = new Codegen(slots);
  const expr = gen.top(condition);
  const src = `"use strict"; return function predicate(v) { ${gen.loads()} return ${expr}; };`;
  return new Function('nv', 'isArr', 'K', src)(numberValidator, isArray, gen.constants) as SlotPredicate;
}

/** The slot values of a facts object: own properties only, absent facts undefined. */
export function slotValues(slots: FactSlots, facts: Readonly<Record<string, unknown>>): unknown[] {
  return slots.names.map((name) => (has(facts, name) ? facts[name] : undefined));
}
