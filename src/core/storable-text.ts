/**
 * Text PostgreSQL cannot store: U+0000 (text and jsonb reject it) and lone UTF-16 surrogates
 * (a JSON escape such as "\ud800" parses into one; jsonb rejects it, and UTF-8 encoding would
 * silently turn it into U+FFFD, so two distinct ids could become one).
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what it looks for
const UNSTORABLE = /\u0000|\p{Surrogate}/u;

/** Why `s` cannot be stored as text, or null when it can. */
export function unstorableReason(s: string): string | null {
  const m = UNSTORABLE.exec(s);
  if (m === null) return null;
  return m[0] === '\u0000' ? 'must not contain the NUL character (U+0000)' : 'must be valid Unicode (it holds a lone surrogate, e.g. from a "\\ud800" escape)';
}

/** The first string (value or key) in a JSON value that cannot be stored: its path below `path` and why. */
export function findUnstorable(value: unknown, path: string): { field: string; reason: string } | null {
  // The path is built only for the rare bad value: the common case allocates nothing.
  return holdsUnstorable(value) ? locate(value, path) : null;
}

function holdsUnstorable(value: unknown): boolean {
  if (typeof value === 'string') return UNSTORABLE.test(value);
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (holdsUnstorable(value[i])) return true;
    return false;
  }
  for (const key in value) {
    if (UNSTORABLE.test(key) || holdsUnstorable((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

function locate(value: unknown, path: string): { field: string; reason: string } | null {
  if (typeof value === 'string') {
    const reason = unstorableReason(value);
    return reason === null ? null : { field: path, reason };
  }
  if (typeof value !== 'object' || value === null) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = locate(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    const keyReason = unstorableReason(key);
    if (keyReason !== null) return { field: `${path} (a key)`, reason: keyReason };
    const found = locate((value as Record<string, unknown>)[key], `${path}.${key}`);
    if (found) return found;
  }
  return null;
}
