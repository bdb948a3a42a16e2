import { StringDecoder } from 'node:string_decoder';
import { CsvParser, CsvSyntaxError } from '../csv/csv-parser';
import { CaveatError } from '../errors';

export type RecordFormat = 'ndjson' | 'csv';

/** One record of a streamed body, as a plain object, with its 1-based row and physical line. */
export interface RawRecord {
  value: unknown;
  row: number;
  line: number;
}

export interface ReadOptions {
  /** Largest body accepted, in bytes; past it the read fails with `payload_too_large`. */
  maxBytes?: number;
  /** Called with the running byte count after each chunk (progress bars). */
  onBytes?: (bytes: number) => void;
}

const NUMERIC = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const CORE_COLUMNS: Record<string, string> = {
  externalId: 'externalId',
  external_id: 'externalId',
  id: 'externalId',
  predicted: 'predicted',
  confidence: 'confidence',
  label: 'label',
  split: 'split',
  predictedAt: 'predictedAt',
  predicted_at: 'predictedAt',
  timestamp: 'predictedAt',
  text: 'text',
};
const PROBABILITY_PREFIX = 'prob:';

/**
 * Reads NDJSON or CSV records from a byte stream without holding the body in memory.
 * CSV columns: externalId (or external_id, id), predicted, confidence, label, split,
 * predictedAt (or predicted_at, timestamp), text, `prob:<class>` for class probabilities;
 * every other column is an attribute (numeric-looking cells become numbers, empty cells are absent).
 */
export async function* readRecords(body: AsyncIterable<Uint8Array | string>, format: RecordFormat, options: ReadOptions = {}): AsyncGenerator<RawRecord> {
  const decoder = new StringDecoder('utf8');
  let bytes = 0;
  const texts = (async function* () {
    for await (const chunk of body) {
      bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
      if (options.maxBytes !== undefined && bytes > options.maxBytes) {
        throw new CaveatError('payload_too_large', `body is larger than the limit of ${options.maxBytes} bytes`);
      }
      options.onBytes?.(bytes);
      yield typeof chunk === 'string' ? chunk : decoder.write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    }
    yield decoder.end();
  })();
  yield* format === 'ndjson' ? ndjson(texts) : csv(texts);
}

async function* ndjson(texts: AsyncIterable<string>): AsyncGenerator<RawRecord> {
  let rest = '';
  let line = 0;
  let row = 0;
  const parse = (text: string, lineNo: number): RawRecord | null => {
    const trimmed = text.trim();
    if (trimmed === '') return null;
    row++;
    try {
      return { value: JSON.parse(trimmed), row, line: lineNo };
    } catch (e) {
      throw new CaveatError('malformed_body', `line ${lineNo}: malformed JSON (${(e as Error).message})`, { row, line: lineNo });
    }
  };
  for await (const text of texts) {
    rest += text;
    let start = 0;
    for (let nl = rest.indexOf('\n', start); nl !== -1; nl = rest.indexOf('\n', start)) {
      line++;
      const rec = parse(rest.slice(start, nl), line);
      if (rec) yield rec;
      start = nl + 1;
    }
    rest = rest.slice(start);
  }
  if (rest.length > 0) {
    line++;
    const rec = parse(rest, line);
    if (rec) yield rec;
  }
}

async function* csv(texts: AsyncIterable<string>): AsyncGenerator<RawRecord> {
  const parser = new CsvParser();
  let header: Array<{ kind: 'core' | 'prob' | 'attr'; key: string }> | null = null;
  let row = 0;
  const toRecord = (fields: string[], line: number): RawRecord => {
    row++;
    const cols = header!;
    if (fields.length !== cols.length) {
      throw new CaveatError('malformed_body', `line ${line}: expected ${cols.length} fields as in the header, found ${fields.length}`, { row, line });
    }
    const value: Record<string, unknown> = {};
    let probabilities: Record<string, unknown> | undefined;
    let attributes: Record<string, unknown> | undefined;
    for (let i = 0; i < cols.length; i++) {
      const cell = fields[i];
      if (cell === '') continue;
      const col = cols[i];
      if (col.kind === 'core') value[col.key] = col.key === 'confidence' ? (NUMERIC.test(cell) ? Number(cell) : cell) : cell;
      else if (col.kind === 'prob') (probabilities ??= {})[col.key] = NUMERIC.test(cell) ? Number(cell) : cell;
      else (attributes ??= {})[col.key] = NUMERIC.test(cell) ? Number(cell) : cell;
    }
    if (probabilities) value.probabilities = probabilities;
    if (attributes) value.attributes = attributes;
    return { value, row, line };
  };
  const handle = function* (records: Array<{ fields: string[]; line: number }>): Generator<RawRecord> {
    for (const r of records) {
      if (header === null) {
        header = r.fields.map((name) => {
          const trimmed = name.trim();
          if (CORE_COLUMNS[trimmed]) return { kind: 'core' as const, key: CORE_COLUMNS[trimmed] };
          if (trimmed.startsWith(PROBABILITY_PREFIX)) return { kind: 'prob' as const, key: trimmed.slice(PROBABILITY_PREFIX.length) };
          return { kind: 'attr' as const, key: trimmed };
        });
        const seen = new Set<string>();
        for (const h of header) {
          const k = `${h.kind}:${h.key}`;
          if (seen.has(k)) throw new CaveatError('malformed_body', `CSV header names '${h.key}' twice`, { line: 1 });
          seen.add(k);
        }
        continue;
      }
      yield toRecord(r.fields, r.line);
    }
  };
  try {
    for await (const text of texts) yield* handle(parser.push(text));
    yield* handle(parser.end());
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw new CaveatError('malformed_body', `malformed CSV: ${e.message}`, { line: e.line });
    throw e;
  }
}
