/**
 * Writes a seeded synthetic predictions CSV for the offline CLI bench (never into the repo):
 * id,confidence,predicted,label,correct,split with confidences in [0.5, 1), P(correct) = c^1.3
 * and a 50/50 validation/test split column.
 *
 *   node dist/bench/generate-predictions-csv.js [rows = 1000000] [file = /tmp/caveat-predictions-1m.csv]
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { seededRng } from '../src/core/random/rng';

export const DEFAULT_CSV = '/tmp/caveat-predictions-1m.csv';

export async function generatePredictionsCsv(file: string, rows: number, seed = 1): Promise<void> {
  const rng = seededRng(seed);
  const out = createWriteStream(file);
  const classes = ['cat', 'dog', 'bird'];
  let chunk = 'id,confidence,predicted,label,correct,split\n';
  for (let i = 0; i < rows; i++) {
    const c = 0.5 + 0.5 * Math.pow(rng.next(), 0.6);
    const right = rng.next() < Math.pow(c, 1.3);
    const predicted = classes[rng.int(3)];
    const label = right ? predicted : classes[(classes.indexOf(predicted) + 1 + rng.int(2)) % 3];
    chunk += `${i},${c.toFixed(6)},${predicted},${label},${right ? 1 : 0},${rng.next() < 0.5 ? 'validation' : 'test'}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

if (require.main === module) {
  const rows = Number(process.argv[2] ?? 1_000_000);
  const file = process.argv[3] ?? DEFAULT_CSV;
  generatePredictionsCsv(file, rows).then(() => console.log(`wrote ${rows.toLocaleString('en-US')} rows to ${file}`));
}
