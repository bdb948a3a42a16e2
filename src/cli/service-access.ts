import type { LocalServices } from './local-services';

/**
 * Runs `remote` against a running server (--url), or `local` against the local database,
 * closing what it opened. The database stack (TypeORM, pg, Nest) is loaded only for a local run.
 */
export async function withService<T>(url: string | undefined, remote: (url: string) => Promise<T>, local: (s: LocalServices) => Promise<T>): Promise<T> {
  if (url) return remote(url);
  const { openLocal } = await import('./local-services.js');
  const services = await openLocal();
  try {
    return await local(services);
  } finally {
    await services.close();
  }
}
