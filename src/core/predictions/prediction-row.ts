import { CaveatError, invalid } from '../errors';
import { findUnstorable, unstorableReason } from '../storable-text';

export const SPLITS = ['train', 'validation', 'test', 'production'] as const;
export type Split = (typeof SPLITS)[number];

/** One validated prediction, ready to write. */
export interface PredictionRow {
  externalId: string;
  predicted: string;
  confidence: number;
  probabilities: Record<string, number> | null;
  label: string | null;
  split: Split;
  predictedAt: string | null;
  attributes: Record<string, unknown> | null;
  text: string | null;
}

export interface RowContext {
  /** The model's classes: predicted, label and probability keys must be among them. */
  classes: ReadonlySet<string>;
  /** Split used when a row names none. */
  defaultSplit: Split;
  /** Field prefix for messages, e.g. `predictions[3]` or `row 17`. */
  path: string;
  /** 1-based row number in a batch or a streamed body. */
  row: number;
}

const FIELDS = new Set(['externalId', 'predicted', 'confidence', 'probabilities', 'label', 'split', 'predictedAt', 'attributes', 'text']);
const MAX_ID = 256;
/** Class probabilities must sum to 1 within this tolerance (issue 2). */
export const PROBABILITY_SUM_TOLERANCE = 1e-6;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Validates one prediction as a client sent it. Every error names the field and the row:
 * `invalid_input` (400) for shape and range, `unknown_class` (422) for a class the model
 * does not have.
 */
export function validatePredictionRow(raw: unknown, ctx: RowContext): PredictionRow {
  const at = (f: string) => `${ctx.path}.${f}`;
  const bad = (f: string, reason: string) => invalid(at(f), reason, { row: ctx.row });
  if (!isObject(raw)) throw invalid(ctx.path, 'must be an object', { row: ctx.row });
  for (const key of Object.keys(raw)) if (!FIELDS.has(key)) throw bad(key, 'is not a known field');

  let externalId = raw.externalId;
  if (typeof externalId === 'number' && Number.isFinite(externalId)) externalId = String(externalId);
  if (typeof externalId !== 'string' || externalId.length === 0) throw bad('externalId', 'must be a non-empty string');
  if (externalId.length > MAX_ID) throw bad('externalId', `must be at most ${MAX_ID} characters`);
  const idProblem = unstorableReason(externalId);
  if (idProblem !== null) throw bad('externalId', idProblem);

  const predicted = raw.predicted;
  if (typeof predicted !== 'string' || predicted.length === 0) throw bad('predicted', 'must be a non-empty string');
  if (!ctx.classes.has(predicted)) throw unknownClass(at('predicted'), predicted, ctx.row);

  const confidence = raw.confidence;
  if (typeof confidence !== 'number' || !Number.isFinite(confidence)) throw bad('confidence', 'must be a number');
  if (confidence < 0 || confidence > 1) throw bad('confidence', 'must be in [0, 1]');

  let probabilities: Record<string, number> | null = null;
  if (raw.probabilities !== undefined && raw.probabilities !== null) {
    if (!isObject(raw.probabilities)) throw bad('probabilities', 'must be an object mapping class → probability');
    let sum = 0;
    for (const [cls, p] of Object.entries(raw.probabilities)) {
      if (!ctx.classes.has(cls)) throw unknownClass(at(`probabilities.${cls}`), cls, ctx.row);
      if (typeof p !== 'number' || !Number.isFinite(p) || p < 0 || p > 1) throw bad(`probabilities.${cls}`, 'must be a number in [0, 1]');
      sum += p;
    }
    if (!(predicted in raw.probabilities)) throw bad('probabilities', `must include the predicted class '${predicted}'`);
    if (Math.abs(sum - 1) > PROBABILITY_SUM_TOLERANCE) throw bad('probabilities', `must sum to 1 (within 1e-6), got ${sum}`);
    probabilities = raw.probabilities as Record<string, number>;
  }

  let label: string | null = null;
  if (raw.label !== undefined && raw.label !== null && raw.label !== '') {
    if (typeof raw.label !== 'string') throw bad('label', 'must be a string');
    if (!ctx.classes.has(raw.label)) throw unknownClass(at('label'), raw.label, ctx.row);
    label = raw.label;
  }

  let split: Split = ctx.defaultSplit;
  if (raw.split !== undefined && raw.split !== null && raw.split !== '') {
    if (typeof raw.split !== 'string' || !(SPLITS as readonly string[]).includes(raw.split)) throw bad('split', `must be one of ${SPLITS.join(', ')}`);
    split = raw.split as Split;
  }

  let predictedAt: string | null = null;
  if (raw.predictedAt !== undefined && raw.predictedAt !== null && raw.predictedAt !== '') {
    const t = typeof raw.predictedAt === 'string' ? Date.parse(raw.predictedAt) : Number.NaN;
    if (Number.isNaN(t)) throw bad('predictedAt', 'must be an ISO-8601 timestamp');
    predictedAt = new Date(t).toISOString();
  }

  let attributes: Record<string, unknown> | null = null;
  if (raw.attributes !== undefined && raw.attributes !== null) {
    if (!isObject(raw.attributes)) throw bad('attributes', 'must be a JSON object');
    const problem = findUnstorable(raw.attributes, 'attributes');
    if (problem !== null) throw bad(problem.field, problem.reason);
    attributes = raw.attributes;
  }

  let text: string | null = null;
  if (raw.text !== undefined && raw.text !== null) {
    if (typeof raw.text !== 'string') throw bad('text', 'must be a string');
    const problem = unstorableReason(raw.text);
    if (problem !== null) throw bad('text', problem);
    text = raw.text;
  }

  return { externalId, predicted, confidence, probabilities, label, split, predictedAt, attributes, text };
}

function unknownClass(field: string, value: string, row: number): CaveatError {
  return new CaveatError('unknown_class', `${field}: '${value}' is not one of the model's classes`, { field, row, value });
}

/** Validates a split name given outside a row (query parameter, CLI flag). */
export function parseSplit(value: unknown, field: string): Split {
  if (typeof value !== 'string' || !(SPLITS as readonly string[]).includes(value)) throw invalid(field, `must be one of ${SPLITS.join(', ')}`);
  return value as Split;
}
