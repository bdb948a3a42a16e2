import { createReadStream, statSync } from 'node:fs';
import { extname } from 'node:path';
import { CaveatError } from '../../core/errors';
import { parseSplit } from '../../core/predictions/prediction-row';
import type { RecordFormat } from '../../core/predictions/record-reader';
import type { ImportSummary } from '../../predictions/predictions.service';
import { parseCli, required } from '../args';
import { callApi } from '../http-client';
import { withService } from '../service-access';
import { ProgressBar } from '../progress';

const HELP = `caveat import predictions FILE --model NAME [--split S] [--format ndjson|csv] [--skip-invalid] [--url URL]
  Streams an NDJSON or CSV file of predictions into a model, in one transaction.
  --split S        split for rows that name none (train, validation, test, production; default production)
  --format F       ndjson or csv (default: from the file extension)
  --skip-invalid   skip bad rows and report them, instead of rejecting the whole file
  --url URL        send to a running server instead of writing the local database
`;

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCli(args, {
    model: { type: 'string' },
    split: { type: 'string' },
    format: { type: 'string' },
    url: { type: 'string' },
    'skip-invalid': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const file = positionals[0];
  if (!file) throw new CaveatError('invalid_input', 'give the FILE to import', { field: 'FILE' });
  const model = required(values, 'model');
  const split = parseSplit(values.split ?? 'production', 'split');
  const format = detectFormat(file, values.format);
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new CaveatError('invalid_input', `cannot read ${file}`, { field: 'FILE' });
  }
  const bar = new ProgressBar(size);
  const onInvalid = values['skip-invalid'] ? 'skip' : 'abort';
  const summary = await withService<ImportSummary>(
    values.url,
    (url) => {
      // Count bytes as fetch pulls them: a 'data' listener would switch the stream to flowing mode
    // and lose every chunk read before fetch starts consuming.
      const stream = (async function* () {
        let sent = 0;
        for await (const chunk of createReadStream(file)) {
          sent += (chunk as Buffer).length;
          bar.update(sent, 0);
          yield chunk as Buffer;
        }
      })();
      const query = new URLSearchParams({ split, onInvalid });
      return callApi<ImportSummary>(url, 'POST', `models/${encodeURIComponent(model)}/predictions/import?${query}`, {
        body: stream,
        contentType: format === 'csv' ? 'text/csv' : 'application/x-ndjson',
      });
    },
    (local) =>
      local.predictions.importStream(model, createReadStream(file), format, {
        defaultSplit: split,
        onInvalid,
        onProgress: ({ bytes, rows }) => bar.update(bytes, rows),
      }),
  );
  bar.done();
  process.stdout.write(
    `imported ${summary.rows.toLocaleString('en-US')} rows into '${model}' (${summary.inserted.toLocaleString('en-US')} new, ` +
      `${summary.updated.toLocaleString('en-US')} updated) in ${summary.seconds.toFixed(2)} s: ` +
      `${Math.round(summary.rowsPerSecond).toLocaleString('en-US')} rows/s; ${summary.rejected} rejected\n`,
  );
  for (const r of summary.rejects) process.stdout.write(`  rejected row ${r.row} (line ${r.line}): ${r.message}\n`);
  if (summary.rejected > summary.rejects.length) process.stdout.write(`  … and ${summary.rejected - summary.rejects.length} more\n`);
  return 0;
}

function detectFormat(file: string, given: string | undefined): RecordFormat {
  const f = given ?? (extname(file).toLowerCase() === '.csv' ? 'csv' : ['.ndjson', '.jsonl'].includes(extname(file).toLowerCase()) ? 'ndjson' : undefined);
  if (f !== 'csv' && f !== 'ndjson') throw new CaveatError('invalid_input', `--format must be ndjson or csv (cannot tell from '${file}')`, { field: 'format' });
  return f;
}
