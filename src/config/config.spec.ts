import { availableParallelism } from 'node:os';
import { ConfigError, MAX_WORKERS, loadConfig } from './config';

describe('loadConfig', () => {
  it('fills the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      importChunkRows: 5000,
      rejectorRefreshMs: 1000,
      workers: 1,
      decisionLog: { capacity: 200_000, batchSize: 5_000, flushIntervalMs: 100, maxWaitMs: 5_000 },
    });
  });

  it('reads the rejector and decision-log settings', () => {
    const c = loadConfig({
      CAVEAT_REJECTOR_REFRESH_MS: '250',
      CAVEAT_DECISION_LOG_CAPACITY: '1000',
      CAVEAT_DECISION_LOG_BATCH: '50',
      CAVEAT_DECISION_LOG_FLUSH_MS: '20',
      CAVEAT_DECISION_LOG_WAIT_MS: '0',
    });
    expect(c.rejectorRefreshMs).toBe(250);
    expect(c.decisionLog).toEqual({ capacity: 1000, batchSize: 50, flushIntervalMs: 20, maxWaitMs: 0 });
  });

  it.each([
    ['PORT', '70000'],
    ['CAVEAT_REJECTOR_REFRESH_MS', '10'],
    ['CAVEAT_DECISION_LOG_CAPACITY', '0'],
    ['CAVEAT_DECISION_LOG_BATCH', '1.5'],
    ['CAVEAT_DECISION_LOG_WAIT_MS', 'soon'],
    ['CAVEAT_WORKERS', '0'],
    ['CAVEAT_WORKERS', '65'],
    ['CAVEAT_WORKERS', 'many'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });

  it('reads CAVEAT_WORKERS: a number, or auto for one per core; more than one only on a server', () => {
    const url = 'postgres://postgres@127.0.0.1:5432/caveat';
    expect(loadConfig({ CAVEAT_WORKERS: '3', DATABASE_URL: url }).workers).toBe(3);
    expect(loadConfig({ CAVEAT_WORKERS: 'auto', DATABASE_URL: url }).workers).toBe(Math.min(availableParallelism(), MAX_WORKERS));
    expect(loadConfig({ CAVEAT_WORKERS: 'auto' }).workers).toBe(1);
    expect(loadConfig({ CAVEAT_WORKERS: '1' }).workers).toBe(1);
    expect(() => loadConfig({ CAVEAT_WORKERS: '2' })).toThrow(/CAVEAT_WORKERS=2 needs DATABASE_URL/);
  });

  it('refuses a DATABASE_URL that is not postgres://, without echoing its password', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://u:secret@h/db' })).toThrow(/postgres:\/\//);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://u:secret@h/db' })).not.toThrow(/secret/);
  });
});
