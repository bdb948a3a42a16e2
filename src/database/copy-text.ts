// Fields of PostgreSQL's COPY text format (Database.copyIn): NULL is \N; backslash, tab, newline
// and carriage return are escaped.

export const COPY_NULL = '\\N';

export function copyString(v: string | null): string {
  if (v === null) return COPY_NULL;
  return /[\\\t\n\r]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : v;
}

/** A json/jsonb field. */
export const copyJson = (v: unknown): string => (v === null || v === undefined ? COPY_NULL : copyString(JSON.stringify(v)));
