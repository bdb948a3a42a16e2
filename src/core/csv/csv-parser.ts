/**
 * Incremental RFC 4180 CSV parser: feed text chunks, get complete records back.
 * Quoted fields may hold commas, quotes ("") and line breaks; CRLF and LF both end a record.
 * Blank lines are skipped. It never holds more than one partial record between chunks.
 */
export class CsvParser {
  private field = '';
  private record: string[] = [];
  private inQuotes = false;
  private quoteClosed = false;
  private sawAny = false;
  /** 1-based physical line where the current record started, for error messages. */
  private line = 1;
  private recordLine = 1;

  /** Records completed by this chunk, each with the line it started on. */
  push(chunk: string): Array<{ fields: string[]; line: number }> {
    const out: Array<{ fields: string[]; line: number }> = [];
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (this.inQuotes) {
        const q = chunk.indexOf('"', i);
        if (q === -1) {
          this.field += chunk.slice(i);
          this.line += countNewlines(chunk, i, n);
          return out;
        }
        this.field += chunk.slice(i, q);
        this.line += countNewlines(chunk, i, q);
        if (q + 1 >= n) {
          // A quote at the very end of the chunk: escaped ("") or closing — decided by the next chunk.
          this.inQuotes = false;
          this.quoteClosed = true;
          return out;
        }
        if (chunk.charCodeAt(q + 1) === 34) {
          this.field += '"';
          i = q + 2;
        } else {
          this.inQuotes = false;
          this.quoteClosed = true;
          i = q + 1;
        }
        continue;
      }
      const c = chunk.charCodeAt(i);
      if (c === 34 /* " */) {
        if (this.quoteClosed) {
          // "" inside a quoted field split across chunks, or "a""b".
          this.field += '"';
          this.inQuotes = true;
          this.quoteClosed = false;
        } else if (this.field.length === 0) {
          this.inQuotes = true;
          this.sawAny = true;
        } else {
          this.field += '"'; // a stray quote inside an unquoted field is kept literally
        }
        i++;
      } else if (c === 44 /* , */) {
        this.record.push(this.field);
        this.field = '';
        this.quoteClosed = false;
        this.sawAny = true;
        i++;
      } else if (c === 10 /* \n */ || c === 13 /* \r */) {
        this.endRecord(out);
        this.line++;
        i++;
        if (c === 13 && i < n && chunk.charCodeAt(i) === 10) i++;
        this.recordLine = this.line;
      } else {
        // Fast path: copy the run of ordinary characters in one slice.
        let j = i + 1;
        while (j < n) {
          const d = chunk.charCodeAt(j);
          if (d === 44 || d === 10 || d === 13 || d === 34) break;
          j++;
        }
        this.field += chunk.slice(i, j);
        this.quoteClosed = false;
        this.sawAny = true;
        i = j;
      }
    }
    return out;
  }

  /** Flushes the last record (a file need not end with a newline). Throws on an unterminated quote. */
  end(): Array<{ fields: string[]; line: number }> {
    if (this.inQuotes) throw new CsvSyntaxError(`unterminated quoted field starting on line ${this.recordLine}`, this.recordLine);
    const out: Array<{ fields: string[]; line: number }> = [];
    this.endRecord(out);
    return out;
  }

  private endRecord(out: Array<{ fields: string[]; line: number }>): void {
    if (this.field.length > 0 || this.record.length > 0 || this.sawAny) {
      this.record.push(this.field);
      out.push({ fields: this.record, line: this.recordLine });
    }
    this.record = [];
    this.field = '';
    this.quoteClosed = false;
    this.sawAny = false;
  }
}

export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

function countNewlines(s: string, from: number, to: number): number {
  let k = 0;
  for (let i = from; i < to; i++) if (s.charCodeAt(i) === 10) k++;
  return k;
}

/** Parses a whole CSV text into records (for small inputs and tests). */
export function parseCsv(text: string): string[][] {
  const p = new CsvParser();
  return [...p.push(text), ...p.end()].map((r) => r.fields);
}
