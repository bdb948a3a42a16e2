import { CaveatError, invalid } from '../core/errors';
import type { DecisionInput } from '../core/rejection/decide';
import { unstorableReason } from '../core/storable-text';
import type { FlagTable } from './flag-scan';

/** A checked decision request: the core input plus the item's external id. */
export interface DecisionRequest {
  input: DecisionInput;
  itemId: string | null;
}

/** The most items one batch may hold (issue 6). */
export const MAX_BATCH_ITEMS = 10_000;
const MAX_ITEM_ID_LENGTH = 512;
const FIELDS: ReadonlySet<string> = new Set(['confidence', 'predicted', 'probabilities', 'concepts', 'attributes', 'text', 'itemId']);
// Within this of 1, probabilities count as summing to 1 (the core's own tolerance).
const SUM_TOLERANCE = 1e-3;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/**
 * Checks one decision request by hand (the hot path: a DTO transformation would cost more than
 * the decision), naming the field of the first problem, prefixed by `at` in a batch
 * (`items[3].`). An unknown class is 422 unknown_class; every other problem is 400.
 * `classes` is null when the model's classes are unknown (its rejector failed to load). `flags`
 * is the table of the body's flags when the scanner read them: the item's `concepts` is then its
 * row there (a number a client sends is refused, as the scanner gives up on it).
 */
export function parseDecisionRequest(raw: unknown, classes: ReadonlySet<string> | null, at = '', flags: FlagTable | null = null): DecisionRequest {
  if (!isRecord(raw)) throw invalid(at ? at.slice(0, -1) : 'body', 'must be an object with confidence and predicted');
  for (const key in raw) {
    if (!FIELDS.has(key)) throw invalid(at + key, `is not a field of a decision request (expected ${[...FIELDS].join(', ')})`);
  }
  const { confidence, predicted, probabilities, concepts, attributes, text, itemId } = raw;
  if (typeof confidence !== 'number' || !(confidence >= 0 && confidence <= 1)) throw invalid(at + 'confidence', 'must be a number in [0, 1]');
  if (typeof predicted !== 'string') throw invalid(at + 'predicted', 'must be a class name (string)');
  if (classes !== null && !classes.has(predicted)) throw unknownClass(at + 'predicted', predicted, classes);
  // Unchecked against the classes (the rejector failed to load), it must still be storable: the
  // log writes it, and one unstorable value would fail its whole batch, other requests' too.
  if (classes === null) storable(predicted, at + 'predicted');
  const input: DecisionInput = { confidence, predicted };
  if (probabilities !== undefined && probabilities !== null) input.probabilities = checkProbabilities(probabilities, predicted, classes, at);
  if (typeof concepts === 'number' && flags !== null) {
    // The scanner read this item's flags object into row `concepts` of its table (flag-scan.ts);
    // it gives up on a number a client sends, so another number here would be a bug: refused.
    if (!(Number.isInteger(concepts) && concepts >= 0 && concepts < flags.rows)) throw invalid(at + 'concepts', 'must map concept names to true or false');
    const names = flags.vocabulary.names;
    input.flagCodes = { names, codes: flags.codes, at: concepts * names.length };
  } else if (concepts !== undefined && concepts !== null) {
    if (!isRecord(concepts)) throw invalid(at + 'concepts', 'must map concept names to true or false');
    for (const k in concepts) {
      if (k === PROTO) throw forbiddenKey(`${at}concepts.${k}`);
      if (typeof concepts[k] !== 'boolean') throw invalid(`${at}concepts.${k}`, 'must be true or false');
    }
    input.concepts = concepts;
  }
  if (attributes !== undefined && attributes !== null) {
    if (!isRecord(attributes)) throw invalid(at + 'attributes', 'must map attribute names to values');
    checkKeys(attributes, at + 'attributes');
    input.attributes = attributes;
  }
  if (text !== undefined && text !== null) {
    if (typeof text !== 'string') throw invalid(at + 'text', 'must be a string');
    input.text = text;
  }
  return { input, itemId: parseItemId(itemId, at) };
}

/**
 * The decide routes parse their bodies with plain JSON.parse (decide.routes.ts: `parseJson`),
 * so they refuse what secure-json-parse refuses elsewhere, wherever a request holds keys: a
 * `__proto__` key, and a `constructor` key whose value is an object with its own `prototype`;
 * either could alter an object's prototype if the object were ever merged into another. Item
 * fields are a closed list; concept and class names are checked in their loops (their values are
 * booleans and numbers, so only `__proto__` matters there); attribute values may nest, so they
 * are walked.
 */
const PROTO = '__proto__';

function poisoning(key: string, value: unknown): boolean {
  return key === PROTO || (key === 'constructor' && typeof value === 'object' && value !== null && has(value, 'prototype'));
}

function forbiddenKey(field: string): CaveatError {
  return invalid(field, 'is not allowed as a key (it could alter object prototypes)');
}

/**
 * Walks nested values with a list, not recursion: JSON.parse takes nesting deeper than the call
 * stack. A field named in an error is cut to its first and last 100 characters.
 */
function checkKeys(root: Record<string, unknown>, field: string): void {
  const pending: Array<{ value: object; path: string }> = [{ value: root, path: field }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, path } = next;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const v: unknown = value[i];
        if (typeof v === 'object' && v !== null) pending.push({ value: v, path: `${path}[${i}]` });
      }
      continue;
    }
    for (const k in value) {
      const v: unknown = (value as Record<string, unknown>)[k];
      if (poisoning(k, v)) throw forbiddenKey(shortPath(`${path}.${k}`));
      if (typeof v === 'object' && v !== null) pending.push({ value: v, path: `${path}.${k}` });
    }
  }
}

const shortPath = (path: string): string => (path.length <= 240 ? path : `${path.slice(0, 100)}…${path.slice(-100)}`);

function storable(v: string, field: string): void {
  const problem = unstorableReason(v);
  if (problem !== null) throw invalid(field, problem);
}

function checkProbabilities(p: unknown, predicted: string, classes: ReadonlySet<string> | null, at: string): Record<string, number> {
  if (!isRecord(p)) throw invalid(at + 'probabilities', 'must map class names to probabilities');
  let sum = 0;
  for (const k in p) {
    const x = p[k];
    if (k === PROTO) throw forbiddenKey(`${at}probabilities.${k}`);
    if (classes !== null && !classes.has(k)) throw unknownClass(`${at}probabilities.${k}`, k, classes);
    if (typeof x !== 'number' || !(x >= 0 && x <= 1)) throw invalid(`${at}probabilities.${k}`, 'must be a number in [0, 1]');
    sum += x;
  }
  if (!has(p, predicted)) throw invalid(`${at}probabilities.${predicted}`, 'must give the probability of the predicted class');
  if (Math.abs(sum - 1) > SUM_TOLERANCE) throw invalid(at + 'probabilities', `must sum to 1, got ${sum}`);
  return p as Record<string, number>;
}

function parseItemId(v: unknown, at: string): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX_ITEM_ID_LENGTH) {
    throw invalid(at + 'itemId', `must be a non-empty string of at most ${MAX_ITEM_ID_LENGTH} characters (or an integer)`);
  }
  // The item id is written to the decision log: one unstorable id would fail its whole batch.
  storable(v, at + 'itemId');
  return v;
}

function unknownClass(field: string, name: string, classes: ReadonlySet<string>): CaveatError {
  const list = [...classes].slice(0, 20).join(', ');
  return new CaveatError('unknown_class', `${field}: '${name}' is not one of the model's classes (${list}${classes.size > 20 ? ', …' : ''})`, { field, class: name });
}

/** Checks a batch body `{items: [...]}`: 400 when it is not a non-empty list, 413 beyond MAX_BATCH_ITEMS. */
export function batchItems(body: unknown): unknown[] {
  if (!isRecord(body)) throw invalid('body', 'must be an object {items: [...]}');
  for (const key in body) if (key !== 'items') throw invalid(key, 'is not a field of a batch (expected items)');
  const items = body.items;
  if (!Array.isArray(items)) throw invalid('items', 'must be an array of decision requests');
  if (items.length === 0) throw invalid('items', 'must hold at least one decision request');
  if (items.length > MAX_BATCH_ITEMS) {
    throw new CaveatError('payload_too_large', `items: a batch holds at most ${MAX_BATCH_ITEMS} items, got ${items.length}; split it`, { field: 'items', limit: MAX_BATCH_ITEMS });
  }
  return items;
}
