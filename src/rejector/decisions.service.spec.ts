import { CaveatError } from '../core/errors';
import type { Database } from '../database/database';
import type { ModelsService } from '../models/models.service';
import type { DecisionLogService } from './decision-log.service';
import { DecisionsService } from './decisions.service';

describe('DecisionsService reads when a service process could not flush its log', () => {
  const ID = '01a24343-788a-7f02-a115-97bfdd0ab0de';
  const service = (rows: unknown[], unflushed: string[]) =>
    new DecisionsService(
      { dataSource: { query: async () => rows } } as unknown as Database,
      { load: async () => ({ entity: { id: 1 } }) } as unknown as ModelsService,
      { flush: async () => unflushed } as unknown as DecisionLogService,
    );
  const code = async (p: Promise<unknown>) => ((await p.then(() => null, (e: unknown) => e)) as CaveatError | null)?.code;

  it.each([
    ['found: the row, whatever the flush said', [{ id: ID }], ['process 7 did not answer within 15000 ms'], undefined],
    ['missing, every process flushed: 404', [], [], 'not_found'],
    ['missing, a process did not flush: 503, not a 404 it cannot be sure of', [], ['process 7 did not answer within 15000 ms'], 'unavailable'],
  ])('%s', async (_name, rows, unflushed, expected) => {
    expect(await code(service(rows, unflushed).get('m', ID))).toBe(expected);
  });

  it("refuses an item's list (503) rather than give one that may lack that process's decisions", async () => {
    expect(await code(service([{ id: ID }], ['process 7 did not answer within 15000 ms']).byItem('m', 'item-1', 10))).toBe('unavailable');
    expect(await code(service([{ id: ID }], []).byItem('m', 'item-1', 10))).toBeUndefined();
  });
});
