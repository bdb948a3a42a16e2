import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CaveatError } from '../core/errors';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses `args` strictly; an unknown or malformed option is a usage error naming the option. */
export function parseCli<O extends Options>(args: string[], options: O, allowPositionals = true) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (e) {
    throw new CaveatError('invalid_input', (e as Error).message);
  }
}

/** A required string option, or a usage error naming it. */
export function required(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new CaveatError('invalid_input', `--${name} is required`, { field: name });
  return v;
}

/** A numeric option with a default, or a usage error naming it. */
export function numberOption(values: Record<string, unknown>, name: string, fallback: number): number {
  const v = values[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n)) {
    throw new CaveatError('invalid_input', `--${name} must be a number, got '${String(v)}'`, { field: name });
  }
  return n;
}
