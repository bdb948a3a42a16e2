import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app.factory';
import { loadConfig, type CaveatConfig } from '../../src/config/config';
import { createThrowawayDatabase } from '../../src/database/throwaway-database';

export interface TestApp {
  app: NestFastifyApplication;
  config: CaveatConfig;
  kind: 'embedded' | 'postgres';
  /** HTTP request through the whole Fastify/Nest stack (no socket). */
  request(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; text: string }>;
  close(): Promise<void>;
}

/**
 * A fresh service on a fresh database: a new embedded data directory by default, or — when
 * DATABASE_URL is set — a throwaway database created on that PostgreSQL server and dropped after.
 */
export async function startTestApp(overrides: Partial<CaveatConfig> = {}, reuse?: { dataDir: string }): Promise<TestApp> {
  const base = loadConfig({ ...process.env, PORT: '0' });
  let cleanup: () => Promise<void>;
  let config: CaveatConfig;
  if (base.databaseUrl) {
    const db = await createThrowawayDatabase(base.databaseUrl, 'caveat_e2e');
    config = { ...base, databaseUrl: db.url, ...overrides };
    cleanup = db.drop;
  } else {
    const dataDir = reuse?.dataDir ?? mkdtempSync(join(tmpdir(), 'caveat-e2e-'));
    config = { ...base, databaseUrl: undefined, dataDir, ...overrides };
    cleanup = async () => {
      if (!reuse) rmSync(dataDir, { recursive: true, force: true });
    };
  }
  const app = await createApp(config, { logger: false });
  return {
    app,
    config,
    kind: config.databaseUrl ? 'postgres' : 'embedded',
    async request(method, url, body, headers = {}) {
      const isString = typeof body === 'string' || Buffer.isBuffer(body);
      const res = await app.inject({
        method,
        url,
        payload: body === undefined ? undefined : isString ? (body as string) : JSON.stringify(body),
        headers: { ...(body !== undefined && !isString ? { 'content-type': 'application/json' } : {}), ...headers },
      });
      let parsed: unknown;
      try {
        parsed = res.body ? JSON.parse(res.body) : undefined;
      } catch {
        // not JSON: callers read `text`
      }
      return { status: res.statusCode, body: parsed, text: res.body };
    },
    async close() {
      await app.close();
      await cleanup();
    },
  };
}
