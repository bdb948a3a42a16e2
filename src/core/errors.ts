/**
 * Domain errors. Core code throws `CaveatError` with one of these codes; exactly one
 * exception filter (src/common/caveat-exception.filter.ts) maps each code to an HTTP status.
 */
export type CaveatErrorCode =
  | 'invalid_input' // 400: a field is missing, has the wrong type or is out of range
  | 'malformed_body' // 400: the body is not parseable JSON / NDJSON / CSV
  | 'not_found' // 404: the named model, rule set, item … does not exist
  | 'conflict' // 409: a concurrent change won, or a unique name is taken
  | 'payload_too_large' // 413
  | 'unsupported_media_type' // 415
  | 'unknown_class' // 422: a class that is not among the model's classes
  | 'unprocessable' // 422: well-formed but cannot be computed (e.g. an empty split)
  | 'unavailable' // 503: a dependency (the database) is down
  | 'internal'; // 500: a bug; never caused by client input

export interface CaveatErrorDetails {
  /** Dotted path of the offending field, e.g. `rows[12].confidence`. */
  field?: string;
  /** 1-based row number in a batch or a streamed body. */
  row?: number;
  [key: string]: unknown;
}

export class CaveatError extends Error {
  constructor(
    readonly code: CaveatErrorCode,
    message: string,
    readonly details: CaveatErrorDetails = {},
  ) {
    super(message);
    this.name = 'CaveatError';
  }
}

export const invalid = (field: string, reason: string, extra: CaveatErrorDetails = {}): CaveatError =>
  new CaveatError('invalid_input', `${field}: ${reason}`, { field, ...extra });
