/**
 * Rule-induction bench (issue 4). Prints figures; asserts nothing.
 *
 *   npm run build:bench && node dist/bench/induction.js [--runs 5] [--synthetic-runs 3] [--only adult,cli,sliceline,synthetic]
 *
 * 1. adult (45,222 items), FPR, support 0.05, no depth limit: exhaustive mining in-process, median
 *    of N (target ≤ 0.15 s; DivExplorer's FP-growth needs 1.51 s here per ../shared/STACK.md), and
 *    the whole induceRules call (mining, tests, BH, ε = 0.05 pruning, rules).
 * 2. the whole `caveat induce` process on adult, median of N child processes (target ≤ 0.6 s),
 *    beside a bare `node -e 0` start measured in the same run.
 * 3. SliceLine's score, top 10, rules of ≤ 3 literals, min support 10 items, α 0.95, on adult, in a
 *    child process: time and peak RSS (target ≤ 1 s and ≤ 300 MB; SliceLine in Python: 19.8 s, 4.5 GiB).
 * 4. synthetic 1M items × 200 binary literals (prevalence log-uniform in [1%, 50%], one planted
 *    3-literal failure slice), depth 3, support 0.01, in a child process: mining time, measures +
 *    BH time, peak RSS (target < 10 s, < 1 GB).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCsv } from '../src/core/csv/csv-parser';
import { mineFrequent } from '../src/core/induction/eclat';
import { encodeSplit } from '../src/core/induction/encoded-split';
import { induceRules, measureTable } from '../src/core/induction/induce';
import { buildLiterals } from '../src/core/induction/literals';
import { datasetFromTable } from '../src/core/induction/table-dataset';
import type { InductionDataset } from '../src/core/induction/types';
import { median } from './bench-util';
import { syntheticBitsets } from './induction-synthetic';

const ADULT = resolve(process.env.CAVEAT_SHARED_DATA ?? resolve(process.cwd(), '../shared/data'), 'adult/adult-rf-discretized.csv');
const CLI = resolve(__dirname, '../src/cli/main.js');
const COST = { V: 1, D: -1, W: -5 };

const ms = (x: number) => `${x.toFixed(1)} ms`;
const flag = (ok: boolean) => (ok ? 'ok' : 'OVER TARGET');

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

function loadAdult(): InductionDataset {
  const [header, ...rows] = parseCsv(readFileSync(ADULT, 'utf8'));
  return datasetFromTable(header, rows, { label: 'class', predicted: 'predicted', categorical: ['*'] }).dataset;
}

function adultInProcess(runs: number): void {
  const data = loadAdult();
  const rows = Uint32Array.from({ length: (data.label as string[]).length }, (_, i) => i);
  const defs = buildLiterals(data, rows, { bins: 4, binning: 'quantile', predictedLiterals: false, confidenceBands: 0, conceptAbsent: true });
  const split = encodeSplit(data, defs, rows, { target: 'fpr', positive: '>50K', costPolicy: COST });
  const input = {
    n: rows.length,
    literals: split.literals,
    groups: Int32Array.from(defs, (d) => d.group),
    den: split.target.den,
    fail: split.target.fail,
    weights: null,
    minCount: 0.05 * rows.length * (1 - 1e-12),
    maxDepth: 0,
  };
  const mining: number[] = [];
  let frequent = 0;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    frequent = mineFrequent(input).table.size;
    mining.push(performance.now() - t);
  }
  const whole: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    induceRules(data, { target: 'fpr', positive: '>50K', minSupport: 0.05, maxDepth: 0, epsilon: 0.05, top: 10 });
    whole.push(performance.now() - t);
  }
  const m = median(mining);
  console.log(`1. adult FPR, support 0.05, exhaustive: ${frequent} frequent itemsets`);
  console.log(`   mining        median ${ms(m)} (runs: ${mining.map((x) => x.toFixed(0)).join(', ')} ms)  target ≤ 150 ms: ${flag(m <= 150)}`);
  console.log(`                 ${(1510 / m).toFixed(1)}× faster than DivExplorer's 1.51 s (STACK.md, not re-measured here)`);
  console.log(`   induceRules   median ${ms(median(whole))} (mining + tests + BH + ε-pruning + productive filter + rules)`);
}

function cliProcess(runs: number): void {
  if (!existsSync(CLI)) {
    console.log(`2. skipped: ${CLI} not built (npm run build:bench)`);
    return;
  }
  const args = [CLI, 'induce', '--csv', ADULT, '--label', 'class', '--predicted', 'predicted', '--positive', '>50K', '--target', 'fpr', '--max-depth', '0', '--epsilon', '0.05', '--top', '10'];
  const time = (argv: string[]) => {
    const t = performance.now();
    const r = spawnSync(process.execPath, argv, { encoding: 'utf8' });
    const elapsed = performance.now() - t;
    if (r.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`);
    return elapsed;
  };
  const bare: number[] = [];
  const whole: number[] = [];
  for (let r = 0; r < runs; r++) {
    bare.push(time(['-e', '0']));
    whole.push(time(args));
  }
  const m = median(whole);
  console.log(`2. \`caveat induce\` on adult (FPR, support 0.05, no depth limit, ε 0.05), whole process`);
  console.log(`   median ${ms(m)} (runs: ${whole.map((x) => x.toFixed(0)).join(', ')} ms)  target ≤ 600 ms: ${flag(m <= 600)}`);
  console.log(`   bare \`node -e 0\` median ${ms(median(bare))} in the same run`);
}

/** Runs this script as a child for one task; it prints one JSON line with its figures and peak RSS. */
function child(task: string): Record<string, number> {
  const r = spawnSync(process.execPath, [__filename, '--child', task], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`child ${task} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string);
}

function sliceLineChild(): Record<string, number> {
  const t0 = performance.now();
  const data = loadAdult();
  const t1 = performance.now();
  const r = induceRules(data, { target: 'error', minSupport: 10, maxDepth: 3, sort: 'sliceline', alpha: 0.95, top: 10, maxQ: 1, productive: false, onlyPositive: false });
  const t2 = performance.now();
  return { loadMs: t1 - t0, induceMs: t2 - t1, tested: r.search.tested, rules: r.rules.length, bestScore: r.rules[0]?.stats.sliceline ?? NaN, maxRssMB: process.resourceUsage().maxRSS / 1024 };
}

function syntheticChild(): Record<string, number> {
  const t0 = performance.now();
  const d = syntheticBitsets({ items: 1_000_000, literals: 200, seed: 7, minPrevalence: 0.01, maxPrevalence: 0.5, baseRate: 0.1, slices: [[3, 50, 120]], sliceRate: 0.6 });
  const t1 = performance.now();
  const r = mineFrequent({ n: d.n, literals: d.literals, groups: Int32Array.from(d.literals, (_, i) => i), den: null, fail: d.fail, weights: null, minCount: 0.01 * d.n, maxDepth: 3 });
  const t2 = performance.now();
  let fail = 0;
  for (const w of d.fail) fail += popcount32(w);
  measureTable(r.table, null, { total: d.n, den: d.n, fail, fail2: 0, scale: 1, isLoss: false }, 0.95);
  const t3 = performance.now();
  return { generateMs: t1 - t0, mineMs: t2 - t1, measureMs: t3 - t2, itemsets: r.table.size, candidates: r.candidates, maxRssMB: process.resourceUsage().maxRSS / 1024 };
}

function popcount32(x: number): number {
  let c = 0;
  while (x !== 0) {
    x &= x - 1;
    c++;
  }
  return c;
}

function main(): void {
  const task = option('child', '');
  if (task) {
    process.stdout.write(JSON.stringify(task === 'sliceline' ? sliceLineChild() : syntheticChild()) + '\n');
    return;
  }
  const runs = Number(option('runs', '5'));
  const only = option('only', 'adult,cli,sliceline,synthetic').split(',');
  const haveAdult = existsSync(ADULT);
  if (!haveAdult) console.log(`adult data not found at ${ADULT}: tasks 1–3 skipped (set CAVEAT_SHARED_DATA)`);
  if (haveAdult && only.includes('adult')) adultInProcess(runs);
  if (haveAdult && only.includes('cli')) cliProcess(runs);
  if (haveAdult && only.includes('sliceline')) {
    const xs = Array.from({ length: runs }, () => child('sliceline'));
    const t = median(xs.map((x) => x.induceMs));
    const rss = Math.max(...xs.map((x) => x.maxRssMB));
    console.log(`3. SliceLine score top 10 on adult, ≤ 3 literals, min support 10 items, α 0.95 (${xs[0].tested} slices scored, best ${xs[0].bestScore.toFixed(3)})`);
    console.log(`   induce median ${ms(t)} (+ CSV load ${ms(median(xs.map((x) => x.loadMs)))}), peak RSS ${rss.toFixed(0)} MB  targets ≤ 1 s, ≤ 300 MB: ${flag(t <= 1000 && rss <= 300)}`);
    console.log(`   SliceLine (Python) on the same data: 19.8 s, 4.5 GiB (STACK.md) → ${(19800 / t).toFixed(0)}× faster`);
  }
  if (only.includes('synthetic')) {
    const xs = Array.from({ length: Number(option('synthetic-runs', '3')) }, () => child('synthetic'));
    const mine = median(xs.map((x) => x.mineMs));
    const measure = median(xs.map((x) => x.measureMs));
    const rss = Math.max(...xs.map((x) => x.maxRssMB));
    console.log(`4. synthetic 1M items × 200 binary literals, depth 3, support 0.01: ${xs[0].itemsets} frequent, ${xs[0].candidates} candidates`);
    console.log(
      `   mining median ${ms(mine)}, measures + BH ${ms(measure)}, total ${ms(mine + measure)} (generation ${ms(median(xs.map((x) => x.generateMs)))} not counted), ` +
        `peak RSS ${rss.toFixed(0)} MB  targets < 10 s, < 1 GB: ${flag(mine + measure < 10000 && rss < 1024)}`,
    );
  }
}

main();
