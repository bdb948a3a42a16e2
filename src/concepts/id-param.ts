import { invalid } from '../core/errors';

/** A positive integer id from a route or query parameter, or `invalid_input` naming the parameter. */
export function parseId(value: unknown, field: string): number {
  const s = typeof value === 'number' ? String(value) : value;
  if (typeof s !== 'string' || !/^[1-9][0-9]{0,14}$/.test(s)) throw invalid(field, 'must be a positive integer id');
  return Number(s);
}

/** An optional positive integer query parameter. */
export const parseOptionalId = (value: unknown, field: string): number | undefined => (value === undefined || value === '' ? undefined : parseId(value, field));

/** Trims and collapses inner whitespace: the stored form of a concept name or alias. */
export const cleanName = (s: string): string => s.trim().replace(/\s+/g, ' ');
