import type { TopLevelCondition } from 'json-rules-engine';
import { didYouMean } from './closest-name';
import { JsonSyntaxError, jsonPointer, parseJsonWithLocations, type JsonLocation } from './json-source-map';
import {
  CONCEPT_PREFIX,
  CONFIDENCE_FACT,
  OPERATORS,
  PREDICTED_FACT,
  isOperator,
  type CaveatRule,
  type Operator,
  type RuleAction,
} from './rule-model';

/**
 * Validation of rules before they are compiled or stored: the shape of a Caveat rule
 * (json-rules-engine rule JSON plus id, sentence, action), the operators json-rules-engine
 * ships, value types per operator, duplicate ids, and (when a vocabulary is given) that every
 * concept and attribute a rule reads exists. Only what passes is compiled, so the compiled
 * predicate never meets a shape whose json-rules-engine semantics it does not mirror.
 */

export type PathSegment = string | number;

export interface RuleIssue {
  /** Rule file name, when the rule came from a file. */
  file?: string;
  /** 1-based position of the offending key or value, when the rule came from a file. */
  line?: number;
  column?: number;
  /** Where in the value, e.g. `[1].conditions.all[0].operator`. */
  path: string;
  message: string;
}

export interface RuleVocabulary {
  /** Concept names that exist; when absent, concept names are not checked. */
  concepts?: Iterable<string>;
  /** Attribute (fact) names that exist; when absent, attribute names are not checked. */
  attributes?: Iterable<string>;
}

export interface RuleCheckResult {
  /** The rules that passed every check, in input order. */
  rules: CaveatRule[];
  issues: RuleIssue[];
}

export interface RuleFileInput {
  name: string;
  text: string;
}

export interface RuleFileReport {
  name: string;
  /** Rules in the file (valid or not). */
  ruleCount: number;
  issues: RuleIssue[];
}

export interface RuleFilesResult extends RuleCheckResult {
  files: RuleFileReport[];
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const MAX_CONDITION_DEPTH = 32;
const RULE_KEYS = ['id', 'sentence', 'action', 'conditions', 'event', 'name', 'priority', 'stats'];
const LEAF_KEYS = ['fact', 'operator', 'value', 'name', 'priority'];
const BOOLEAN_KEYS = ['all', 'any', 'not', 'name', 'priority'];
const NUMERIC_OPERATORS: ReadonlySet<Operator> = new Set(['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive']);
const LIST_OPERATORS: ReadonlySet<Operator> = new Set(['in', 'notIn']);
const CONTAINS_OPERATORS: ReadonlySet<Operator> = new Set(['contains', 'doesNotContain']);

/** `[1].conditions.all[0].operator` from path segments. */
export const displayPath = (path: readonly PathSegment[]): string =>
  path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('') || '(root)';

/** `file:line:column: path: message`, the form editors and CI logs link to. */
export function formatIssue(issue: RuleIssue): string {
  const where = issue.file === undefined ? '' : issue.line === undefined ? `${issue.file}: ` : `${issue.file}:${issue.line}:${issue.column}: `;
  return `${where}${issue.path}: ${issue.message}`;
}

type Report = (path: readonly PathSegment[], message: string, at?: 'key' | 'value') => void;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
const isPrimitive = (v: unknown): boolean =>
  typeof v === 'string' || typeof v === 'boolean' || v === null || (typeof v === 'number' && Number.isFinite(v));
const show = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v) ?? String(v));

class RuleChecker {
  private readonly concepts?: ReadonlySet<string>;
  private readonly attributes?: ReadonlySet<string>;

  constructor(
    vocabulary: RuleVocabulary,
    private readonly report: Report,
  ) {
    if (vocabulary.concepts) this.concepts = new Set(vocabulary.concepts);
    if (vocabulary.attributes) this.attributes = new Set(vocabulary.attributes);
  }

  /** Checks one rule; returns it as a CaveatRule when nothing was wrong with it. */
  rule(value: unknown, path: PathSegment[], source: CaveatRule['source']): CaveatRule | undefined {
    let ok = true;
    const report: Report = (p, m, at) => {
      ok = false;
      this.report(p, m, at);
    };
    if (!isObject(value)) {
      report(path, `a rule must be an object, got ${kind(value)}`);
      return undefined;
    }
    for (const k of Object.keys(value)) {
      if (!RULE_KEYS.includes(k)) report([...path, k], `unknown key '${k}'${didYouMean(k, RULE_KEYS)}; a rule has ${RULE_KEYS.join(', ')}`, 'key');
    }
    const { id, sentence } = value;
    if (!has(value, 'id')) report(path, "missing 'id'");
    else if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
      report([...path, 'id'], `must be a string of letters, digits, '.', '_', ':' or '-' (at most 128, starting with a letter or digit), got ${show(id)}`);
    }
    if (!has(value, 'sentence')) report(path, "missing 'sentence' (the rule in words, shown with every rejection it causes)");
    else if (typeof sentence !== 'string' || sentence.trim() === '') report([...path, 'sentence'], 'must be a non-empty string');
    const action = this.action(value.action, [...path, 'action'], has(value, 'action'), path, report);
    if (!has(value, 'conditions')) report(path, "missing 'conditions'");
    else this.topLevel(value.conditions, [...path, 'conditions'], report);
    if (has(value, 'priority') && !(Number.isInteger(value.priority) && (value.priority as number) > 0)) {
      report([...path, 'priority'], `must be a positive integer, got ${show(value.priority)}`);
    }
    if (has(value, 'name') && typeof value.name !== 'string') report([...path, 'name'], 'must be a string');
    if (has(value, 'event')) {
      const e = value.event;
      if (!isObject(e) || typeof e.type !== 'string') report([...path, 'event'], "must be an object with a string 'type'");
      else if (has(e, 'params') && !isObject(e.params)) report([...path, 'event', 'params'], 'must be an object');
    }
    if (has(value, 'stats') && !isObject(value.stats)) report([...path, 'stats'], 'must be an object');
    if (!ok || action === undefined) return undefined;
    const rule: CaveatRule = { id: id as string, sentence: sentence as string, action, conditions: value.conditions as TopLevelCondition, source };
    if (isObject(value.stats)) rule.stats = value.stats;
    return rule;
  }

  private action(v: unknown, path: PathSegment[], present: boolean, rulePath: PathSegment[], report: Report): RuleAction | undefined {
    const expected = `{"type": "reject"} or {"type": "threshold", "threshold": <number in [0, 1]>}`;
    if (!present) {
      report(rulePath, `missing 'action': ${expected}`);
      return undefined;
    }
    if (!isObject(v)) {
      report(path, `must be ${expected}`);
      return undefined;
    }
    if (v.type === 'reject') {
      for (const k of Object.keys(v)) if (k !== 'type') report([...path, k], `unknown key '${k}' for a reject action`, 'key');
      return Object.keys(v).length === 1 ? { type: 'reject' } : undefined;
    }
    if (v.type === 'threshold') {
      let ok = true;
      for (const k of Object.keys(v)) {
        if (k !== 'type' && k !== 'threshold') {
          report([...path, k], `unknown key '${k}' for a threshold action`, 'key');
          ok = false;
        }
      }
      const t = v.threshold;
      if (!has(v, 'threshold')) {
        report(path, "missing 'threshold' (the confidence an item of this subgroup needs to be accepted)");
        return undefined;
      }
      if (typeof t !== 'number' || !Number.isFinite(t) || t < 0 || t > 1) {
        report([...path, 'threshold'], `must be a number in [0, 1], got ${show(t)}`);
        return undefined;
      }
      return ok ? { type: 'threshold', threshold: t } : undefined;
    }
    report(has(v, 'type') ? [...path, 'type'] : path, `unknown action type ${show(v.type)}: expected ${expected}`);
    return undefined;
  }

  topLevel(v: unknown, path: PathSegment[], report: Report): void {
    if (!isObject(v)) {
      report(path, `must be an object with one of all, any, not; got ${kind(v)}`);
      return;
    }
    if (has(v, 'condition')) {
      report([...path, 'condition'], 'shared condition references are not supported: write the condition out', 'key');
      return;
    }
    if (!has(v, 'all') && !has(v, 'any') && !has(v, 'not')) {
      report(path, 'the root of conditions must be one of all, any, not (a single comparison goes inside all: [...])');
      return;
    }
    this.condition(v, path, 0, report);
  }

  private condition(v: unknown, path: PathSegment[], depth: number, report: Report): void {
    if (!isObject(v)) {
      report(path, `a condition must be an object, got ${kind(v)}`);
      return;
    }
    if (depth > MAX_CONDITION_DEPTH) {
      report(path, `conditions nest deeper than ${MAX_CONDITION_DEPTH}`);
      return;
    }
    const bools = ['all', 'any', 'not'].filter((k) => has(v, k));
    if (bools.length > 1) {
      report(path, `a condition has exactly one of all, any, not; this one has ${bools.join(' and ')}`);
      return;
    }
    if (has(v, 'condition')) {
      report([...path, 'condition'], 'shared condition references are not supported: write the condition out', 'key');
      return;
    }
    this.common(v, path, report);
    if (bools.length === 1) this.boolean(v, bools[0] as 'all' | 'any' | 'not', path, depth, report);
    else this.leaf(v, path, report);
  }

  private common(v: Record<string, unknown>, path: PathSegment[], report: Report): void {
    if (has(v, 'priority') && !(Number.isInteger(v.priority) && (v.priority as number) > 0)) {
      report([...path, 'priority'], `must be a positive integer, got ${show(v.priority)}`);
    }
    if (has(v, 'name') && typeof v.name !== 'string') report([...path, 'name'], 'must be a string');
  }

  private boolean(v: Record<string, unknown>, op: 'all' | 'any' | 'not', path: PathSegment[], depth: number, report: Report): void {
    for (const k of Object.keys(v)) {
      if (!BOOLEAN_KEYS.includes(k)) {
        const hint = LEAF_KEYS.includes(k) ? ` (a comparison goes inside '${op}', not beside it)` : '';
        report([...path, k], `unknown key '${k}' beside '${op}'${hint}`, 'key');
      }
    }
    const sub = v[op];
    if (op === 'not') {
      if (Array.isArray(sub) || !isObject(sub)) report([...path, op], `'not' takes one condition object, got ${kind(sub)}`);
      else this.condition(sub, [...path, op], depth + 1, report);
      return;
    }
    if (!Array.isArray(sub)) {
      report([...path, op], `'${op}' takes an array of conditions, got ${kind(sub)}`);
      return;
    }
    // json-rules-engine 7.3.1 evaluates an empty 'any' as true (it treats empty all and any
    // alike), which nobody means: refuse it. An empty 'all' (always true) is allowed.
    if (op === 'any' && sub.length === 0) report([...path, op], "is empty: json-rules-engine treats an empty 'any' as true; use all: [] for a rule that always matches");
    sub.forEach((c, i) => this.condition(c, [...path, op, i], depth + 1, report));
  }

  private leaf(v: Record<string, unknown>, path: PathSegment[], report: Report): void {
    for (const k of Object.keys(v)) {
      if (k === 'path' || k === 'params') report([...path, k], `'${k}' is not supported: facts are flat values (attributes, predicted, confidence, concept:<name>)`, 'key');
      else if (!LEAF_KEYS.includes(k)) report([...path, k], `unknown key '${k}'${didYouMean(k, LEAF_KEYS)}; a comparison has fact, operator, value`, 'key');
    }
    for (const k of ['fact', 'operator', 'value']) if (!has(v, k)) report(path, `missing '${k}' (a comparison is {fact, operator, value})`);
    const { fact, operator, value } = v;
    let factOk = false;
    if (has(v, 'fact')) {
      if (typeof fact !== 'string' || fact === '') report([...path, 'fact'], `must be a non-empty string, got ${show(fact)}`);
      else factOk = this.factName(fact, [...path, 'fact'], report);
    }
    if (has(v, 'operator') && !isOperator(operator)) {
      const name = typeof operator === 'string' ? `'${operator}'${didYouMean(operator, OPERATORS)}` : show(operator);
      report([...path, 'operator'], `unknown operator ${name}; json-rules-engine's are ${OPERATORS.join(', ')}`);
      return;
    }
    if (!has(v, 'value') || !has(v, 'operator')) return;
    this.value(operator as Operator, value, factOk ? (fact as string) : undefined, [...path, 'value'], report);
  }

  private factName(fact: string, path: PathSegment[], report: Report): boolean {
    if (fact.startsWith(CONCEPT_PREFIX)) {
      const concept = fact.slice(CONCEPT_PREFIX.length);
      if (concept === '') {
        report(path, `'${CONCEPT_PREFIX}' must be followed by a concept name`);
        return false;
      }
      if (this.concepts && !this.concepts.has(concept)) {
        report(path, `unknown concept '${concept}'${didYouMean(concept, this.concepts)}`);
        return false;
      }
      return true;
    }
    if (fact === PREDICTED_FACT || fact === CONFIDENCE_FACT) return true;
    if (this.attributes && !this.attributes.has(fact)) {
      report(path, `unknown fact '${fact}'${didYouMean(fact, this.attributes)}: not an attribute, '${PREDICTED_FACT}', '${CONFIDENCE_FACT}' or '${CONCEPT_PREFIX}<name>'`);
      return false;
    }
    return true;
  }

  private value(op: Operator, value: unknown, fact: string | undefined, path: PathSegment[], report: Report): void {
    if (isObject(value) && has(value, 'fact')) {
      report(path, 'fact references as values are not supported: compare a fact with a constant');
      return;
    }
    const isConcept = fact?.startsWith(CONCEPT_PREFIX) ?? false;
    if (NUMERIC_OPERATORS.has(op)) {
      if (isConcept) return report(path, `concept facts are true/false: compare them with equal or notEqual, not ${op}`);
      if (fact === PREDICTED_FACT) return report(path, `'${PREDICTED_FACT}' is a class name: use equal, notEqual, in or notIn`);
      if (typeof value !== 'number' || !Number.isFinite(value)) return report(path, `${op} needs a finite number, got ${show(value)}`);
      if (fact === CONFIDENCE_FACT && (value < 0 || value > 1)) return report(path, `confidence lies in [0, 1], got ${value}`);
      return;
    }
    if (CONTAINS_OPERATORS.has(op)) {
      if (isConcept || fact === PREDICTED_FACT || fact === CONFIDENCE_FACT) return report(path, `${op} tests list-valued facts; '${fact}' is not a list`);
      if (!isPrimitive(value)) return report(path, `${op} needs a string, number, boolean or null, got ${show(value)}`);
      return;
    }
    const values = LIST_OPERATORS.has(op) ? value : [value];
    if (LIST_OPERATORS.has(op)) {
      if (!Array.isArray(values)) return report(path, `${op} needs an array of values, got ${show(value)}`);
      if (values.length === 0) return report(path, `${op} [] ${op === 'in' ? 'never matches' : 'always matches'}: give at least one value`);
    }
    (values as unknown[]).forEach((x, i) => {
      const at = LIST_OPERATORS.has(op) ? [...path, i] : path;
      if (!isPrimitive(x)) report(at, `must be a string, number, boolean or null, got ${show(x)}`);
      else if (isConcept && typeof x !== 'boolean') report(at, `concept facts are true/false, got ${show(x)}`);
      else if (fact === PREDICTED_FACT && typeof x !== 'string') report(at, `'${PREDICTED_FACT}' holds the class name as a string, got ${show(x)}`);
      else if (fact === CONFIDENCE_FACT && typeof x !== 'number') report(at, `confidence is a number, got ${show(x)}`);
    });
  }
}

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${show(v)}`;
}

/**
 * Checks rules given as values (induced rules, a stored rule set): every issue names its path.
 * Duplicate ids are reported on the later rule.
 */
export function validateRules(values: readonly unknown[], source: CaveatRule['source'], vocabulary: RuleVocabulary = {}): RuleCheckResult {
  const issues: RuleIssue[] = [];
  const checker = new RuleChecker(vocabulary, (path, message) => issues.push({ path: displayPath(path), message }));
  const rules: CaveatRule[] = [];
  const firstAt = new Map<string, number>();
  values.forEach((v, i) => {
    const rule = checker.rule(v, [i], source);
    const id = isObject(v) && typeof v.id === 'string' ? v.id : undefined;
    if (id !== undefined && firstAt.has(id)) {
      issues.push({ path: displayPath([i, 'id']), message: `duplicate id '${id}' (first used by rule [${firstAt.get(id)}])` });
      return;
    }
    if (id !== undefined) firstAt.set(id, i);
    if (rule) rules.push(rule);
  });
  return { rules, issues };
}

/**
 * Checks one json-rules-engine condition tree on its own, e.g. the definition of an attribute
 * concept (the same shape and operator rules as a rule's `conditions`).
 */
export function validateConditions(value: unknown, vocabulary: RuleVocabulary = {}, field = 'conditions'): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const report: Report = (path, message) => issues.push({ path: displayPath(path), message });
  new RuleChecker(vocabulary, report).topLevel(value, [field], report);
  return issues;
}

/**
 * Checks rule files: each holds one rule object or an array of rules. Issues carry the file and
 * the line:column of the offending key or value; ids must be unique across all the files.
 */
export function validateRuleFiles(files: readonly RuleFileInput[], vocabulary: RuleVocabulary = {}): RuleFilesResult {
  const rules: CaveatRule[] = [];
  const issues: RuleIssue[] = [];
  const reports: RuleFileReport[] = [];
  const firstAt = new Map<string, string>();
  for (const file of files) {
    const fileIssues: RuleIssue[] = [];
    const report = { name: file.name, ruleCount: 0, issues: fileIssues };
    reports.push(report);
    let parsed: ReturnType<typeof parseJsonWithLocations>;
    try {
      parsed = parseJsonWithLocations(file.text);
    } catch (e) {
      if (!(e instanceof JsonSyntaxError)) throw e;
      fileIssues.push({ file: file.name, line: e.at.line, column: e.at.column, path: '(json)', message: `not valid JSON: ${e.message.replace(/ at \d+:\d+$/, '')}` });
      issues.push(...fileIssues);
      continue;
    }
    const locate = (path: readonly PathSegment[], at: 'key' | 'value' = 'value'): JsonLocation['value'] | undefined => {
      // A missing field has no location of its own: fall back to the nearest enclosing value.
      for (let n = path.length; n >= 0; n--) {
        const loc = parsed.locations.get(jsonPointer(path.slice(0, n)));
        if (loc) return n === path.length && at === 'key' ? (loc.key ?? loc.value) : loc.value;
      }
      return undefined;
    };
    const push = (path: readonly PathSegment[], message: string, at?: 'key' | 'value'): void => {
      const p = locate(path, at);
      fileIssues.push({ file: file.name, line: p?.line, column: p?.column, path: displayPath(path), message });
    };
    for (const d of parsed.duplicateKeys) {
      fileIssues.push({ file: file.name, line: d.at.line, column: d.at.column, path: d.pointer, message: 'duplicate key (JSON keeps only the last one)' });
    }
    const checker = new RuleChecker(vocabulary, push);
    const single = !Array.isArray(parsed.value);
    const values = single ? [parsed.value] : (parsed.value as unknown[]);
    report.ruleCount = values.length;
    const firstRule = rules.length;
    values.forEach((v, i) => {
      const base: PathSegment[] = single ? [] : [i];
      const rule = checker.rule(v, base, 'expert');
      const id = isObject(v) && typeof v.id === 'string' ? v.id : undefined;
      if (id !== undefined) {
        const here = locate([...base, 'id']);
        const first = firstAt.get(id);
        if (first !== undefined) {
          push([...base, 'id'], `duplicate id '${id}' (first used at ${first})`);
          return;
        }
        firstAt.set(id, `${file.name}:${here?.line}:${here?.column}`);
      }
      if (rule) rules.push(rule);
    });
    // A rule with a duplicate key is suspect even when each value is fine: drop the file's rules.
    if (parsed.duplicateKeys.length > 0) rules.length = firstRule;
    fileIssues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    issues.push(...fileIssues);
  }
  return { rules, issues, files: reports };
}
