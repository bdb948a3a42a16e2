import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run as calibrate } from '../../src/cli/commands/calibrate.command';
import { run as crowdAggregate } from '../../src/cli/commands/crowd-aggregate.command';
import { run as induce } from '../../src/cli/commands/induce.command';
import { run as thresholds } from '../../src/cli/commands/thresholds.command';
import { censusDemoRows, demoCsv } from '../../src/core/demo/census-demo';
import { captureOutput } from '../support/capture';

/** The offline commands on files the test writes itself: no database, no server. */
describe('offline CLI commands', () => {
  let dir: string;
  let demo: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'caveat-offline-'));
    demo = join(dir, 'demo.csv');
    writeFileSync(demo, demoCsv(censusDemoRows(6000, 3).filter((r) => r.label !== null)));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('induce finds the married-professionals slice of the demo data and prints json-rules-engine rules', async () => {
    const args = ['--csv', demo, '--label', 'label', '--predicted', 'predicted', '--confidence', 'confidence', '--target', 'error', '--ignore', 'id,split,text', '--max-depth', '2', '--top', '3'];
    const table = await captureOutput(() => induce([...args, '--format', 'table']));
    expect(table.result).toBe(0);
    expect(table.stdout).toMatch(/marital status is Married-civ-spouse/);
    const rules = await captureOutput(() => induce([...args, '--format', 'rules']));
    const parsed = JSON.parse(rules.stdout);
    const list = Array.isArray(parsed) ? parsed : parsed.rules;
    expect(list.length).toBeGreaterThan(0);
    expect(list[0].conditions.all.length).toBeGreaterThan(0);
    expect(list[0].event.type).toBe('caveat.rule');
  });

  it('induce rejects a bad target naming the flag', async () => {
    await expect(induce(['--csv', demo, '--label', 'label', '--predicted', 'predicted', '--target', 'vibes'])).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('thresholds leave out unlabelled rows (an empty label cell)', async () => {
    const rows = censusDemoRows(3000, 5);
    const withProduction = join(dir, 'with-production.csv');
    writeFileSync(withProduction, demoCsv(rows));
    const labelled = rows.filter((r) => r.label !== null).length;
    expect(labelled).toBeLessThan(rows.length);
    const out = await captureOutput(() => thresholds(['--csv', withProduction, '--confidence', 'confidence', '--label', 'label', '--predicted', 'predicted', '--bootstrap', '0', '--format', 'json']));
    expect(JSON.parse(out.stdout).n).toBe(labelled);
  });

  it('thresholds and calibrate work on a CSV', async () => {
    const th = await captureOutput(() => thresholds(['--csv', demo, '--confidence', 'confidence', '--label', 'label', '--predicted', 'predicted', '--bootstrap', '20']));
    expect(th.stdout).toMatch(/T\* \(cost policy\)\s+0\.6667/);
    const cal = await captureOutput(() => calibrate(['--csv', demo, '--confidence', 'confidence', '--label', 'label', '--predicted', 'predicted', '--method', 'platt', '--format', 'json']));
    const r = JSON.parse(cal.stdout);
    expect(r.methods[0].report.eceEqualWidth).toBeLessThan(r.raw.eceEqualWidth);
  });

  it('crowd aggregate prints accuracy against a truth file', async () => {
    const labels = ['item,worker,label'];
    const truth = ['item,truth'];
    for (let i = 0; i < 60; i++) {
      const t = i % 2;
      truth.push(`i${i},${t}`);
      for (let w = 0; w < 5; w++) labels.push(`i${i},w${w},${w === 4 && i % 3 === 0 ? 1 - t : t}`);
    }
    writeFileSync(join(dir, 'labels.csv'), labels.join('\n') + '\n');
    writeFileSync(join(dir, 'truth.csv'), truth.join('\n') + '\n');
    const out = await captureOutput(() => crowdAggregate(['--labels', join(dir, 'labels.csv'), '--truth', join(dir, 'truth.csv'), '--format', 'json']));
    expect(JSON.parse(out.stdout)).toMatchObject({ method: 'ds', items: 60, workers: 5, accuracy: { hard: 1, evaluated: 60 } });
  });
});
