import { CaveatError, type CaveatErrorCode } from '../core/errors';

/** Calls a running Caveat server; an error response becomes the same CaveatError the server raised. */
export async function callApi<T>(baseUrl: string, method: string, path: string, init: { body?: unknown; json?: unknown; contentType?: string } = {}): Promise<T> {
  const url = new URL(path, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  const headers: Record<string, string> = {};
  let body = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    headers['content-type'] = 'application/json';
  } else if (init.contentType) headers['content-type'] = init.contentType;
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body, duplex: 'half' } as Parameters<typeof fetch>[1]);
  } catch (e) {
    throw new CaveatError('unavailable', `cannot reach ${url.origin}: ${(e as Error).cause ? String((e as Error & { cause: unknown }).cause) : (e as Error).message}`);
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!res.ok) {
    const err = (parsed as { error?: { code?: CaveatErrorCode; message?: string; details?: Record<string, unknown> } })?.error;
    throw new CaveatError(err?.code ?? 'internal', err?.message ?? `HTTP ${res.status}: ${text.slice(0, 200)}`, err?.details ?? {});
  }
  return parsed as T;
}
