import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DecisionService } from '../../src/rejector/decision.service';
import { eventually } from '../support/eventually';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * A batch answer's buffer goes back to the pool only once the response is handed to the socket
 * (decide.routes.ts). Checked on a real socket, since light-my-request copies what it is sent:
 * a client that does not read keeps a big answer pending while a second batch is answered; were
 * the first buffer reused early, the second answer would overwrite the first one's unsent bytes.
 */
describe('batch answer buffers on a real socket', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
    expect((await t.request('POST', '/models', { name: 'big', classes: ['yes', 'no'] })).status).toBe(201);
    expect((await t.request('POST', '/models/big/concepts', { name: 'x', kind: 'caller' })).status).toBe(201);
    // Ten matched rules with long sentences: ~8 KB of answer per item.
    const rules = Array.from({ length: 10 }, (_, i) => ({
      id: `long-${i}`,
      sentence: `rule ${i}: ${'the photo is dark and the object is small; '.repeat(16)}`,
      action: { type: 'threshold', threshold: 0.5 },
      conditions: { all: [{ fact: 'concept:x', operator: 'equal', value: true }] },
    }));
    const draft = await t.request('POST', '/models/big/rule-sets', { source: 'expert', rules });
    expect((await t.request('POST', `/models/big/rule-sets/${draft.body.version}/activate`)).status).toBe(200);
  });
  afterAll(() => t?.close());

  // 819 items: the writer starts at 64 + 819 × 640 bytes and doubles four times to 8.39 MB, the
  // most a pooled buffer may hold, for an answer of ~7 MB, far more than the socket buffers take.
  const ITEMS = 819;
  const batch = (confidence: number) => JSON.stringify({ items: Array.from({ length: ITEMS }, (_, i) => ({ confidence, predicted: 'yes', itemId: `i${i}`, concepts: { x: true } })) });

  function post(body: string): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/models/big/decide/batch', agent: false, headers: { 'content-type': 'application/json' } }, resolve);
      req.on('error', reject);
      req.end(body);
    });
  }
  async function read(res: IncomingMessage): Promise<{ count: number; decisions: Array<{ decision: string; matchedRules: unknown[] }> }> {
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  }

  it('keeps a pending answer intact while the next batch is answered, then reuses its buffer', async () => {
    const pool = t.app.get(DecisionService).answerBuffers;
    const given: string[] = [];
    const give = pool.give.bind(pool);
    pool.give = (bytes: Buffer) => {
      given.push(bytes.length > 0 && bytes.includes('"decision":"accept"') ? 'first' : 'second');
      give(bytes);
    };

    const first = await post(batch(0.99)); // accepted: the rules raise the threshold to 0.5
    first.pause(); // read nothing yet: the rest of its answer waits in the service
    const second = await read(await post(batch(0.01))); // rejected
    expect(second.count).toBe(ITEMS);
    expect(second.decisions.every((d) => d.decision === 'reject' && d.matchedRules.length === 10)).toBe(true);
    // The precondition: the first answer was still being sent when the second was written, and
    // is still, once the second's buffer is back (its response finished after the client read it).
    await eventually(async () => given.length > 0);
    expect(given).toEqual(['second']);

    first.resume();
    const answer = await read(first);
    expect(answer.count).toBe(ITEMS);
    expect(answer.decisions.every((d) => d.decision === 'accept' && d.matchedRules.length === 10)).toBe(true);
    await eventually(async () => given.length > 1);
    expect(given).toEqual(['second', 'first']);
    // Both buffers are back and one is lent to the next batch.
    expect(pool.take(64 + ITEMS * 640)).toBeDefined();
  });
});
