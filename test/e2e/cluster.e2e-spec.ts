import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { Client } from 'pg';
import { createApp } from '../../src/app.factory';
import { loadConfig } from '../../src/config/config';
import { createThrowawayDatabase } from '../../src/database/throwaway-database';
import { childPids } from '../../bench/bench-util';
import { eventually } from '../support/eventually';
import { overconfidentCsv } from '../support/predictions-csv';
import { startTestApp, type TestApp } from '../support/test-app';

// Several service processes need a PostgreSQL server (the embedded database lives in one process).
const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;
const ROOT = process.cwd(); // jest runs from the project root

/** One HTTP request on a new connection (no keep-alive), so that the cluster hands each to the next worker. */
function call(port: number, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  return new Promise((ok, fail) => {
    const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const headers: Record<string, string> = { connection: 'close' };
    if (text !== undefined) headers['content-type'] = typeof body === 'string' ? 'text/csv' : 'application/json';
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (data += d));
      res.on('end', () => ok({ status: res.statusCode!, body: data ? JSON.parse(data) : undefined }));
    });
    req.on('error', fail);
    // A connection handed to a worker as it was killed is never answered: give up on it.
    req.setTimeout(5_000, () => req.destroy(new Error(`${method} ${path}: no answer within 5 s`)));
    req.end(text);
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** Rows of one query on its own connection (the services under test hold theirs). */
async function sql(url: string, text: string): Promise<any[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text)).rows;
  } finally {
    await c.end();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The service as production runs it, from the sources (test/support/swc-register.cjs): a primary and its workers. */
class ServiceProcess {
  readonly exited: Promise<number | null>;
  stdout = '';
  stderr = '';
  private constructor(readonly child: ChildProcess) {
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (this.stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
    // 'close', not 'exit': the output is read to its end first.
    this.exited = new Promise((r) => child.once('close', (code) => r(code)));
  }

  /** Starts a service on a free port, again with another port if one was taken meanwhile (jest runs files in parallel). */
  static async onFreePort(env: Record<string, string>): Promise<{ service: ServiceProcess; port: number }> {
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      try {
        return { service: await ServiceProcess.start({ ...env, PORT: String(port) }), port };
      } catch (e) {
        if (attempt >= 3 || !/EADDRINUSE/.test((e as Error).message)) throw e;
      }
    }
  }

  /** SIGTERM, then SIGKILL for the whole group if it has not stopped within 20 s (nothing may outlive the tests). */
  async stop(): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.exited;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => {
      for (const pid of childPids(this.child.pid!)) process.kill(pid, 'SIGKILL');
      this.child.kill('SIGKILL');
    }, 20_000);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  static async start(env: Record<string, string>): Promise<ServiceProcess> {
    const child = spawn(process.execPath, ['-r', './test/support/swc-register.cjs', 'src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const s = new ServiceProcess(child);
    await Promise.race([
      new Promise<void>((ok) => child.stdout!.on('data', () => s.stdout.includes('Caveat listening') && ok())),
      s.exited.then((code) => Promise.reject(new Error(`the service exited (${code}) before listening: ${s.stderr}`))),
    ]);
    return s;
  }

  /** The workers' pids (children of the primary). */
  async workers(port: number, model: string, expected: number): Promise<Set<number>> {
    const pids = new Set<number>();
    for (let i = 0; i < 20 && pids.size < expected; i++) pids.add((await call(port, 'GET', `/models/${model}/rejector`)).body.process);
    return pids;
  }
}

onPostgres('several service processes on one PostgreSQL database', () => {
  describe('CAVEAT_WORKERS: a primary and workers behind one port', () => {
    let db: Awaited<ReturnType<typeof createThrowawayDatabase>>;
    let service: ServiceProcess | null = null;
    let port: number;
    beforeAll(async () => {
      db = await createThrowawayDatabase(process.env.DATABASE_URL!, 'caveat_e2e');
      // Decisions stay in each worker's memory until something flushes the log: only the
      // flush across workers can make another worker's decisions readable. An hour between
      // rejector checks: only a NOTIFY can explain a reload seen within a test.
      ({ service, port } = await ServiceProcess.onFreePort({ DATABASE_URL: db.url, CAVEAT_WORKERS: '2', CAVEAT_DECISION_LOG_FLUSH_MS: '60000', CAVEAT_REJECTOR_REFRESH_MS: '3600000' }));
      expect(service.stdout).toContain('2 worker processes');
      expect((await call(port, 'POST', '/models', { name: 'cl', classes: ['yes', 'no'] })).status).toBe(201);
    });
    afterAll(async () => {
      await service?.stop();
      await db?.drop();
    });

    it('answers from two worker processes, migrated once by the primary', async () => {
      const pids = await service!.workers(port, 'cl', 2);
      expect(pids.size).toBe(2);
      expect(pids.has(service!.child.pid!)).toBe(false);
      const [migrations] = await sql(db.url, 'SELECT count(*)::int AS n, count(DISTINCT name)::int AS names FROM caveat_migrations');
      expect(migrations.n).toBe(migrations.names); // each migration recorded once
    });

    it('reads every decision at once, whichever worker made it; the log counters cover every worker', async () => {
      const before = (await call(port, 'GET', '/models/cl/decisions/stats')).body;
      expect(before).toMatchObject({ scope: 'service', processes: 2, missingProcesses: 0 });
      // Each read follows its decision on a new connection, which the cluster gives to the next worker.
      for (let i = 0; i < 12; i++) {
        const a = await call(port, 'POST', '/models/cl/decide', { confidence: 0.9, predicted: 'yes', itemId: `x${i}` });
        expect(a.status).toBe(200);
        expect((await call(port, 'GET', `/models/cl/decisions/${a.body.decisionId}`)).status).toBe(200);
      }
      const after = (await call(port, 'GET', '/models/cl/decisions/stats')).body;
      expect(after.processes).toBe(2);
      expect(after.log.written - before.log.written).toBe(12);
      expect(after.log.buffered).toBe(0);
      expect(after.log.capacity).toBe(2 * 200_000);
    });

    it('reloads a calibrator activated through one worker in the other at once', async () => {
      expect((await call(port, 'POST', '/models/cl/predictions/import', overconfidentCsv(5, 400))).status).toBe(200);
      // Both workers hold the rejector without a calibrator.
      for (let i = 0; i < 4; i++) expect((await call(port, 'GET', '/models/cl/rejector')).body.calibratorVersion).toBeNull();
      const fit = await call(port, 'POST', '/models/cl/calibrators', { method: 'platt' });
      expect((await call(port, 'POST', `/models/cl/calibrators/${fit.body.version}/activate`)).status).toBe(200);
      const seen = new Map<number, number | null>();
      await eventually(async () => {
        const r = (await call(port, 'GET', '/models/cl/rejector')).body;
        seen.set(r.process, r.calibratorVersion);
        return seen.size === 2 && [...seen.values()].every((v) => v === fit.body.version);
      });
      expect([...seen.values()]).toEqual([fit.body.version, fit.body.version]);
    });

    it('starts another worker when one dies, and keeps answering', async () => {
      const [victim] = await service!.workers(port, 'cl', 2);
      process.kill(victim, 'SIGKILL');
      let pids = new Set<number>();
      await eventually(async () => {
        pids = await service!.workers(port, 'cl', 2).catch(() => new Set<number>());
        return pids.size === 2 && !pids.has(victim);
      });
      expect(pids.size).toBe(2);
      expect(pids.has(victim)).toBe(false);
      expect(service!.stderr).toMatch(new RegExp(`worker ${victim} exited \\(signal SIGKILL\\); starting another`));
    });

    it('on SIGTERM every worker writes its buffered decisions, then the service exits 0', async () => {
      for (let i = 0; i < 10; i++) expect((await call(port, 'POST', '/models/cl/decide', { confidence: 0.9, predicted: 'yes', itemId: `stop${i}` })).status).toBe(200);
      expect(await service!.stop()).toBe(0);
      expect(await sql(db.url, `SELECT count(*)::int AS n FROM decisions WHERE item_id LIKE 'stop%'`)).toEqual([{ n: 10 }]);
    });
  });

  describe('CAVEAT_WORKERS when things go wrong', () => {
    let db: Awaited<ReturnType<typeof createThrowawayDatabase>>;
    beforeAll(async () => {
      db = await createThrowawayDatabase(process.env.DATABASE_URL!, 'caveat_e2e');
    });
    afterAll(async () => {
      await db?.drop();
    });

    it('when the primary is killed, each worker still writes its buffered decisions and exits', async () => {
      const { service, port } = await ServiceProcess.onFreePort({ DATABASE_URL: db.url, CAVEAT_WORKERS: '2', CAVEAT_DECISION_LOG_FLUSH_MS: '60000' });
      try {
        expect((await call(port, 'POST', '/models', { name: 'orphan', classes: ['yes', 'no'] })).status).toBe(201);
        for (let i = 0; i < 6; i++) expect((await call(port, 'POST', '/models/orphan/decide', { confidence: 0.9, predicted: 'yes', itemId: `o${i}` })).status).toBe(200);
        const workers = childPids(service.child.pid!);
        expect(workers).toHaveLength(2);
        service.child.kill('SIGKILL');
        await service.exited;
        await eventually(async () => workers.every((pid) => !isAlive(pid)));
        expect(workers.filter(isAlive)).toEqual([]);
        expect(await sql(db.url, `SELECT count(*)::int AS n FROM decisions WHERE item_id LIKE 'o%'`)).toEqual([{ n: 6 }]);
      } finally {
        await service.stop();
      }
    });

    it('exits 1, showing the workers\' error, when the port is taken', async () => {
      const taken = createServer();
      await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
      try {
        const port = (taken.address() as { port: number }).port;
        await expect(ServiceProcess.start({ DATABASE_URL: db.url, CAVEAT_WORKERS: '2', PORT: String(port) })).rejects.toThrow(/exited \(1\) before listening[\s\S]*EADDRINUSE[\s\S]*could not start/);
      } finally {
        await new Promise((r) => taken.close(r));
      }
    });
  });

  describe('two services on one database (replicas)', () => {
    let a: TestApp;
    let b: Awaited<ReturnType<typeof createApp>>;
    beforeAll(async () => {
      // An hour between checks: only a NOTIFY can explain a reload seen within the test.
      a = await startTestApp({ rejectorRefreshMs: 3_600_000 });
      b = await createApp({ ...loadConfig({ ...process.env, PORT: '0' }), databaseUrl: a.config.databaseUrl, rejectorRefreshMs: 3_600_000 }, { logger: false });
      expect((await a.request('POST', '/models', { name: 'rp', classes: ['yes', 'no'] })).status).toBe(201);
    });
    afterAll(async () => {
      await b?.close();
      await a?.close();
    });
    const onB = async (method: 'GET' | 'POST', url: string) => JSON.parse((await b.inject({ method, url })).body);

    it('a reload asked of one rebuilds the rejector in the other', async () => {
      const first = await onB('GET', '/models/rp/rejector');
      await new Promise((r) => setTimeout(r, 5));
      expect((await a.request('POST', '/models/rp/rejector/reload')).status).toBe(200);
      let now = first;
      await eventually(async () => {
        now = await onB('GET', '/models/rp/rejector');
        return now.loadedAt !== first.loadedAt;
      });
      expect(now.loadedAt).not.toBe(first.loadedAt);
    });

    it('a cost-policy change and an attribute-concept edit in one reach the other at once', async () => {
      const before = await onB('GET', '/models/rp/rejector');
      expect((await a.request('PUT', '/models/rp/cost-policy', { V: 1, D: 0, W: -1 })).status).toBe(200);
      await eventually(async () => (await onB('GET', '/models/rp/rejector')).policyVersion === before.policyVersion + 1);
      expect((await onB('GET', '/models/rp/rejector')).policyVersion).toBe(before.policyVersion + 1);
      const young = { name: 'young', kind: 'attribute', condition: { all: [{ fact: 'age', operator: 'lessThan', value: 25 }] } };
      const created = await a.request('POST', '/models/rp/concepts', young);
      expect(created.status).toBe(201);
      await eventually(async () => (await onB('GET', '/models/rp/rejector')).attributeConcepts.includes('young'));
      expect((await onB('GET', '/models/rp/rejector')).attributeConcepts).toContain('young');
      expect((await a.request('POST', `/models/rp/concepts/${created.body.id}/retire`)).status).toBe(200);
      await eventually(async () => !(await onB('GET', '/models/rp/rejector')).attributeConcepts.includes('young'));
      expect((await onB('GET', '/models/rp/rejector')).attributeConcepts).not.toContain('young');
    });

    it('deactivating a calibrator in one reaches the other at once', async () => {
      expect((await a.request('POST', '/models/rp/predictions/import', overconfidentCsv(7, 200), { 'content-type': 'text/csv' })).status).toBe(200);
      const fit = await a.request('POST', '/models/rp/calibrators', { method: 'platt' });
      expect((await a.request('POST', `/models/rp/calibrators/${fit.body.version}/activate`)).status).toBe(200);
      await eventually(async () => (await onB('GET', '/models/rp/rejector')).calibratorVersion === fit.body.version);
      expect((await onB('GET', '/models/rp/rejector')).calibratorVersion).toBe(fit.body.version);
      expect((await a.request('DELETE', '/models/rp/calibrators/active')).status).toBe(200);
      await eventually(async () => (await onB('GET', '/models/rp/rejector')).calibratorVersion === null);
      expect((await onB('GET', '/models/rp/rejector')).calibratorVersion).toBeNull();
    });
  });
});
