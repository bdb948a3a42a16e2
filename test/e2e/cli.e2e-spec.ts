import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run as importPredictions } from '../../src/cli/commands/import-predictions.command';
import { run as modelsList } from '../../src/cli/commands/models-list.command';
import { run as migrate } from '../../src/cli/commands/migrate.command';
import { run as thresholds } from '../../src/cli/commands/thresholds.command';
import { run as calibrate } from '../../src/cli/commands/calibrate.command';
import { openLocal } from '../../src/cli/local-services';
import { captureOutput } from '../support/capture';
import { startTestApp, type TestApp } from '../support/test-app';

const csv = ['id,predicted,confidence,label,colour', 'a,x,0.9,x,red', 'b,y,0.6,x,"dark, blue"', 'c,x,0.7,,green'].join('\n') + '\n';

describe('caveat CLI: import predictions, models list, migrate', () => {
  let dir: string;
  const saved = { CAVEAT_DATA_DIR: process.env.CAVEAT_DATA_DIR };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'caveat-cli-'));
    writeFileSync(join(dir, 'p.csv'), csv);
    writeFileSync(join(dir, 'bad.ndjson'), '{"externalId":"q","predicted":"x","confidence":0.5}\n{"externalId":"r","predicted":"zzz","confidence":0.5}\n');
    // Without DATABASE_URL the CLI opens the embedded database here; with it, the server database.
    process.env.CAVEAT_DATA_DIR = join(dir, 'db');
  });
  afterAll(() => {
    process.env.CAVEAT_DATA_DIR = saved.CAVEAT_DATA_DIR;
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports into the local database and lists models', async () => {
    if (process.env.DATABASE_URL) return; // the local path on a server is covered by the --url test below
    expect((await captureOutput(() => migrate([]))).stdout).toMatch(/applied \d+ migration|up to date/);
    const local = await openLocal();
    await local.models.create({ name: 'cli-local', classes: ['x', 'y'] });
    await local.close();
    const imported = await captureOutput(() => importPredictions([join(dir, 'p.csv'), '--model', 'cli-local', '--split', 'test']));
    expect(imported.result).toBe(0);
    expect(imported.stdout).toMatch(/imported 3 rows into 'cli-local' \(3 new, 0 updated\).*0 rejected/);
    const listed = await captureOutput(() => modelsList([]));
    expect(listed.stdout).toMatch(/cli-local\s+x \| y\s+v1\s+0\.6667/);
    const skipped = await captureOutput(() => importPredictions([join(dir, 'bad.ndjson'), '--model', 'cli-local', '--skip-invalid']));
    expect(skipped.stdout).toMatch(/imported 1 rows .* 1 rejected/);
    expect(skipped.stdout).toMatch(/rejected row 2 \(line 2\): rows\[2\]\.predicted: 'zzz' is not one of the model's classes/);
  });

  describe('against a running server (--url)', () => {
    let t: TestApp;
    let url: string;
    beforeAll(async () => {
      t = await startTestApp();
      await t.app.listen(0, '127.0.0.1');
      url = await t.app.getUrl();
      await t.request('POST', '/models', { name: 'cli-remote', classes: ['x', 'y'] });
    });
    afterAll(async () => {
      await t?.close();
    });

    it('streams a file of many chunks to the server without losing any', async () => {
      const big = ['id,predicted,confidence,label,notes'];
      for (let i = 0; i < 20_000; i++) big.push(`big-${i},x,0.75,y,"note, number ${i}"`);
      writeFileSync(join(dir, 'big.csv'), big.join('\n') + '\n');
      const out = await captureOutput(() => importPredictions([join(dir, 'big.csv'), '--model', 'cli-remote', '--url', url, '--split', 'test']));
      expect(out.stdout).toMatch(/imported 20,000 rows into 'cli-remote' \(20,000 new, 0 updated\)/);
    });

    it('streams the file to the server', async () => {
      const out = await captureOutput(() => importPredictions([join(dir, 'p.csv'), '--model', 'cli-remote', '--url', url, '--split', 'validation']));
      expect(out.stdout).toMatch(/imported 3 rows into 'cli-remote'/);
      expect((await t.request('GET', '/models/cli-remote/predictions/b')).body).toMatchObject({ split: 'validation', attributes: { colour: 'dark, blue' } });
      expect((await captureOutput(() => modelsList(['--url', url]))).stdout).toContain('cli-remote');
    });

    it('prints the threshold and calibration tables of a stored model', async () => {
      await t.request('POST', '/models', { name: 'cli-cal', classes: ['x', 'y'] });
      const rows = ['id,predicted,confidence,label,split'];
      for (let i = 0; i < 400; i++) rows.push(`t${i},x,${(0.5 + (i % 50) / 100).toFixed(2)},${i % 3 ? 'x' : 'y'},${i % 2 ? 'validation' : 'test'}`);
      await t.request('POST', '/models/cli-cal/predictions/import', rows.join('\n'), { 'content-type': 'text/csv' });
      const th = await captureOutput(() => thresholds(['--model', 'cli-cal', '--url', url, '--bootstrap', '20']));
      expect(th.stdout).toMatch(/Thresholds for 200 predictions from model 'cli-cal' \(split 'validation'\)/);
      expect(th.stdout).toMatch(/T\* \(cost policy\)\s+0\.6667/);
      const cal = await captureOutput(() => calibrate(['--model', 'cli-cal', '--url', url, '--method', 'platt']));
      expect(cal.stdout).toMatch(/fitted on 200 rows \(split 'validation'\); scored on 200 rows \(split 'test'\)/);
      expect(cal.stdout).toMatch(/stored as calibrator version\(s\) 1 \(platt\)/);
      await expect(thresholds(['--model', 'cli-cal', '--url', url, '--split', 'train'])).rejects.toMatchObject({ code: 'unprocessable' });
    });

    it('reports the server error for a bad file, and usage errors by flag', async () => {
      await expect(importPredictions([join(dir, 'bad.ndjson'), '--model', 'cli-remote', '--url', url])).rejects.toMatchObject({ code: 'unknown_class' });
      await expect(importPredictions([join(dir, 'p.csv'), '--model', 'nope', '--url', url])).rejects.toMatchObject({ code: 'not_found' });
      await expect(importPredictions([join(dir, 'p.csv')])).rejects.toMatchObject({ code: 'invalid_input', details: { field: 'model' } });
      await expect(importPredictions([join(dir, 'p.txt'), '--model', 'x'])).rejects.toMatchObject({ details: { field: 'format' } });
      await expect(importPredictions([join(dir, 'p.csv'), '--model', 'cli-remote', '--bogus'])).rejects.toMatchObject({ code: 'invalid_input' });
    });
  });
});
