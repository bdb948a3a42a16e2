import { CaveatError, invalid } from '../core/errors';
import type { CaveatRule, RuleAction } from '../core/rejection/rule-model';
import { validateRules, type RuleVocabulary } from '../core/rejection/rule-validation';
import type { RuleSetSource } from './rule-set.entity';

/**
 * Rules arriving as values (a JSON body, or stored sets being merged) checked the way the
 * rejector needs them. The core validator knows a rule file's keys; a stored or posted
 * CaveatRule also carries `source`, which is checked here against the set's source.
 */

export interface RuleInputIssue {
  /** Where in the request, e.g. `rules[2].conditions.all[0].operator`. */
  field: string;
  /** The id of the rule the issue is in, when it has one. */
  rule?: string;
  message: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const idOf = (v: unknown): string | undefined => (isObject(v) && typeof v.id === 'string' ? v.id : undefined);

/** The 400 for a list of issues: the first one in the message, all of them in details.issues. */
export function ruleIssuesError(issues: RuleInputIssue[]): CaveatError {
  const first = issues[0];
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more issue${issues.length === 2 ? '' : 's'})` : '';
  const rule = first.rule === undefined ? '' : ` (rule '${first.rule}')`;
  return new CaveatError('invalid_input', `${first.field}${rule}: ${first.message}${more}`, { field: first.field, rule: first.rule, issues });
}

/**
 * Validates rules given as values and returns them as CaveatRules with their source. In an
 * `expert` or `induced` set a rule's `source` may be left out (it is the set's); in a `mixed`
 * set every rule names its own. `where(i)` renders the location of rule i for messages.
 */
export function checkRuleValues(
  values: readonly unknown[],
  setSource: RuleSetSource,
  vocabulary: RuleVocabulary,
  where: (i: number) => string = (i) => `rules[${i}]`,
): CaveatRule[] {
  const issues: Array<RuleInputIssue & { index: number }> = [];
  const sources: Array<CaveatRule['source']> = [];
  const stripped = values.map((v, index) => {
    const fallback = setSource === 'mixed' ? 'expert' : setSource;
    if (!isObject(v) || !Object.prototype.hasOwnProperty.call(v, 'source')) {
      if (setSource === 'mixed' && isObject(v)) issues.push({ index, field: `${where(index)}.source`, rule: idOf(v), message: "is required in a mixed set: 'induced' or 'expert'" });
      sources.push(fallback);
      return v;
    }
    const { source, ...rest } = v;
    if (source !== 'induced' && source !== 'expert') {
      issues.push({ index, field: `${where(index)}.source`, rule: idOf(v), message: `must be 'induced' or 'expert', got ${JSON.stringify(source)}` });
    } else if (setSource !== 'mixed' && source !== setSource) {
      issues.push({ index, field: `${where(index)}.source`, rule: idOf(v), message: `is '${source}' in a set whose source is '${setSource}' (a set combining both is 'mixed')` });
    }
    sources.push(source === 'induced' ? 'induced' : fallback);
    return rest;
  });
  const result = validateRules(stripped, 'expert', vocabulary);
  for (const issue of result.issues) {
    // validateRules paths start with the rule's index: `[2].conditions…`.
    const m = /^\[(\d+)\](.*)$/.exec(issue.path);
    const index = m ? Number(m[1]) : 0;
    issues.push({ index, field: m ? `${where(index)}${m[2]}` : issue.path, rule: idOf(values[index]), message: issue.message });
  }
  if (issues.length > 0) {
    issues.sort((a, b) => a.index - b.index);
    throw ruleIssuesError(issues.map(({ index: _i, ...rest }) => rest));
  }
  return result.rules.map((rule, i) => ({ ...rule, source: sources[i] }));
}

/** A rule action from a request, or a 400 naming `field`. */
export function checkAction(value: unknown, field: string): RuleAction {
  if (isObject(value) && value.type === 'reject' && Object.keys(value).length === 1) return { type: 'reject' };
  if (isObject(value) && value.type === 'threshold' && Object.keys(value).length === 2) {
    const t = value.threshold;
    if (typeof t === 'number' && Number.isFinite(t) && t >= 0 && t <= 1) return { type: 'threshold', threshold: t };
  }
  throw invalid(field, 'must be {"type": "reject"} or {"type": "threshold", "threshold": <number in [0, 1]>}');
}

export interface StoredRules {
  version: number;
  source: RuleSetSource;
  rules: readonly unknown[];
}

export interface MergedRuleValues {
  /** The rules of every set in the order given, each with its source and action filled in. */
  values: unknown[];
  /** Location of merged rule i for messages: `v3.rules[2]`. */
  where: (i: number) => string;
}

/**
 * Concatenates stored rule sets (in the order given, each ranked as stored) for a merged draft.
 * Rule ids must stay unique (409 listing every duplicate). `actions` overrides a rule's action by
 * id; an induced rule stored without an action gets `{type: 'reject'}` unless one is given.
 */
export function mergeRuleValues(sets: readonly StoredRules[], actions: Record<string, unknown> = {}): MergedRuleValues {
  const seen = new Map<string, number[]>();
  const values: unknown[] = [];
  const origin: string[] = [];
  for (const set of sets) {
    set.rules.forEach((raw, j) => {
      origin.push(`v${set.version}.rules[${j}]`);
      if (!isObject(raw)) {
        values.push(raw); // stored by hand or by an older writer: the validator names it
        return;
      }
      const rule: Record<string, unknown> = { ...raw };
      const id = idOf(rule);
      if (id !== undefined) seen.set(id, [...(seen.get(id) ?? []), set.version]);
      if (rule.source === undefined && set.source !== 'mixed') rule.source = set.source;
      if (id !== undefined && Object.prototype.hasOwnProperty.call(actions, id)) rule.action = checkAction(actions[id], `actions.${id}`);
      else if (rule.action === undefined && rule.source === 'induced') rule.action = { type: 'reject' };
      values.push(rule);
    });
  }
  const duplicates = [...seen].filter(([, versions]) => versions.length > 1).map(([id, versions]) => ({ id, versions }));
  if (duplicates.length > 0) {
    const list = duplicates.map((d) => `'${d.id}' (versions ${d.versions.join(', ')})`).join(', ');
    throw new CaveatError('conflict', `rule ids must stay unique in a merged set; duplicated: ${list}`, { field: 'versions', duplicates });
  }
  const unknown = Object.keys(actions).filter((id) => !seen.has(id));
  if (unknown.length > 0) throw invalid(`actions.${unknown[0]}`, `no rule with this id in versions ${sets.map((s) => s.version).join(', ')}`);
  return { values, where: (i) => origin[i] };
}
