type PgError = { code?: string; driverError?: { code?: string; constraint?: string }; constraint?: string };

/** The SQLSTATE of a failed query, from a pg error or TypeORM's wrapper of one. */
function sqlState(e: unknown): string | undefined {
  const err = e as PgError | undefined;
  return err?.driverError?.code ?? err?.code;
}

/** True when a query failed on a unique constraint (SQLSTATE 23505). */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const err = e as PgError | undefined;
  const name = err?.driverError?.constraint ?? err?.constraint;
  return sqlState(e) === '23505' && (constraint === undefined || name === constraint);
}

/** True when a NOWAIT lock request found the row locked (SQLSTATE 55P03). */
export function isLockNotAvailable(e: unknown): boolean {
  return sqlState(e) === '55P03';
}

/**
 * True when the database refused a text value it cannot store: a NUL character or an invalid
 * byte sequence (22021), or a Unicode escape jsonb cannot represent (22P05). Client text causes
 * these; the routes that store client text check it first, this is the net behind them.
 */
export function isUnstorableText(e: unknown): boolean {
  const state = sqlState(e);
  return state === '22021' || state === '22P05';
}
