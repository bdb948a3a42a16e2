import { writeFileSync } from 'node:fs';
import { censusDemoRows, demoCsv } from '../../core/demo/census-demo';
import { invalid } from '../../core/errors';
import { numberOption, parseCli } from '../args';

const HELP = `caveat demo data [--out FILE] [--rows 20000] [--seed 1]
  Writes a seeded, census-like prediction CSV for the walkthrough (see README): an over-confident
  income model with three planted failure regions. Without --out it prints to stdout.
`;

export async function run(args: string[]): Promise<number> {
  const { values } = parseCli(args, { out: { type: 'string' }, rows: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, false);
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const rows = numberOption(values, 'rows', 20_000);
  if (!Number.isInteger(rows) || rows < 1 || rows > 10_000_000) throw invalid('--rows', 'must be a whole number from 1 to 10,000,000');
  const seed = numberOption(values, 'seed', 1);
  if (!Number.isInteger(seed)) throw invalid('--seed', 'must be a whole number');
  const csv = demoCsv(censusDemoRows(rows, seed));
  if (values.out) {
    writeFileSync(values.out, csv);
    process.stderr.write(`wrote ${rows.toLocaleString('en-US')} demo predictions to ${values.out}\n`);
  } else process.stdout.write(csv);
  return 0;
}
