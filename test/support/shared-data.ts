import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** Root of the reference data (`../shared/data` beside the clone; tests run from the repo root), overridable by CAVEAT_SHARED_DATA. */
export const SHARED_DATA_ROOT = resolve(process.env.CAVEAT_SHARED_DATA ?? resolve(process.cwd(), '../shared/data'));

/** Absolute path of a reference file, or null when the reference data is not beside this clone. */
export function sharedData(relative: string): string | null {
  const p = resolve(SHARED_DATA_ROOT, relative);
  return existsSync(p) ? p : null;
}

/**
 * `describe` that runs only when the reference files exist; otherwise it registers one
 * skipped test whose name says what is missing, so the skip is visible in the report.
 */
export function describeWithData(title: string, files: string[], body: (paths: string[]) => void): void {
  const paths = files.map(sharedData);
  const missing = files.filter((_, i) => paths[i] === null);
  if (missing.length > 0) {
    describe(title, () => {
      it.skip(`skipped: reference data not found (${missing.join(', ')} under ${SHARED_DATA_ROOT})`, () => undefined);
    });
    return;
  }
  describe(title, () => body(paths as string[]));
}
