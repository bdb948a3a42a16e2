/**
 * Issue 3's CLI target: `caveat thresholds` and `caveat calibrate` in offline mode over a
 * 1M-row CSV in under 5 s each, median of 3, run as child processes exactly as a user would
 * (start-up, streaming parse and computation included). The CSV is generated into /tmp.
 *
 *   npm run build:bench && node dist/bench/offline-cli.js
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { median } from './bench-util';
import { DEFAULT_CSV, generatePredictionsCsv } from './generate-predictions-csv';

const ROWS = 1_000_000;
const RUNS = 3;
const MAIN = resolve(__dirname, '../src/cli/main.js');

function timeCommand(args: string[]): { ms: number[]; stdout: string } {
  const ms: number[] = [];
  let stdout = '';
  for (let r = 0; r < RUNS; r++) {
    const t0 = process.hrtime.bigint();
    const run = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (run.status !== 0) throw new Error(`caveat ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
    stdout = run.stdout;
  }
  return { ms, stdout };
}

async function main(): Promise<void> {
  if (!existsSync(DEFAULT_CSV)) {
    const t0 = Date.now();
    await generatePredictionsCsv(DEFAULT_CSV, ROWS);
    console.log(`generated ${DEFAULT_CSV} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  console.log(`offline CLI bench: ${DEFAULT_CSV} (${(statSync(DEFAULT_CSV).size / 2 ** 20).toFixed(0)} MiB, ${ROWS.toLocaleString('en-US')} rows), median of ${RUNS} child processes\n`);
  const common = ['--csv', DEFAULT_CSV, '--confidence', 'confidence'];
  const cases: Array<[string, string[]]> = [
    ['startup only: caveat thresholds --help', ['thresholds', '--help']],
    ['thresholds --correct (B = 200)', ['thresholds', ...common, '--correct', 'correct']],
    ['thresholds --correct --bootstrap 0', ['thresholds', ...common, '--correct', 'correct', '--bootstrap', '0']],
    ['thresholds --label/--predicted --split test (B = 200)', ['thresholds', ...common, '--label', 'label', '--predicted', 'predicted', '--split-col', 'split', '--split', 'test']],
    ['calibrate --method all (4 recalibrators)', ['calibrate', ...common, '--correct', 'correct']],
    ['calibrate --split-col split --method isotonic', ['calibrate', ...common, '--correct', 'correct', '--split-col', 'split', '--fit-split', 'validation', '--eval-split', 'test', '--method', 'isotonic']],
  ];
  for (const [name, args] of cases) {
    const { ms } = timeCommand(args);
    const m = median(ms);
    const verdict = name.startsWith('startup') ? '' : m < 5000 ? '  OK (< 5 s)' : '  OVER the 5 s target';
    console.log(`${name.padEnd(56)} ${(m / 1000).toFixed(2).padStart(6)} s  (runs ${ms.map((x) => (x / 1000).toFixed(2)).join(', ')})${verdict}`);
  }
}

void main();
