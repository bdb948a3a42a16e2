import { ByteWriter } from '../common/byte-writer';

/**
 * Rows in PostgreSQL's binary COPY format (COPY … WITH (FORMAT binary); PostgreSQL docs, "COPY",
 * "Binary Format"): a header, then per row a 16-bit field count and each field as a 32-bit length
 * (-1 for NULL) and its bytes in the type's binary send format, then a -1 trailer. The server
 * takes these fields as they are, instead of parsing text: measured with psql on the decision
 * log's 19 columns, COPY of 200,000 rows took 283 ms against 462 ms from text (no index).
 *
 * Types written: uuid, timestamptz (integer datetimes, the default since PostgreSQL 10 and in
 * PGlite), int4, float8, text and text[]. Text is UTF-8, which the database encoding must be
 * (Caveat creates its databases so).
 */
export class BinaryCopyWriter {
  private readonly w: ByteWriter;

  /** `reuse`: a buffer from a BufferPool, used when it holds `capacity` bytes. */
  constructor(capacity = 4096, reuse?: Buffer) {
    this.w = new ByteWriter(capacity, reuse);
    this.w.bytes(HEADER);
  }

  /** Starts a row of `fields` fields. */
  row(fields: number): void {
    this.w.int16(fields);
  }

  null(): void {
    this.w.int32(-1);
  }

  int4(x: number | null): void {
    if (x === null) return this.null();
    // writeInt32BE would write 0 for undefined; text COPY refused such a value, so must this.
    if (!Number.isInteger(x)) throw new Error(`not an int4: ${String(x)}`);
    this.w.int32(4);
    this.w.int32(x);
  }

  float8(x: number | null): void {
    if (x === null) return this.null();
    this.w.int32(8);
    this.w.float64(x);
  }

  text(s: string | null): void {
    if (s === null) return this.null();
    const at = this.w.length;
    this.w.int32(0);
    this.w.utf8(s);
    this.w.patchInt32(at, this.w.length - at - 4);
  }

  /** A uuid from its text form (8-4-4-4-12 hexadecimal digits). */
  uuid(id: string): void {
    this.w.int32(16);
    let digits = 0;
    let high = -1;
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      if (c === DASH) continue;
      const v = c < 128 ? HEX[c] : -1;
      if (v < 0) throw new Error(`not a uuid: '${id}'`);
      if (high < 0) high = v;
      else {
        this.w.byte((high << 4) | v);
        high = -1;
      }
      digits++;
    }
    if (digits !== 32) throw new Error(`not a uuid: '${id}'`);
  }

  /** A timestamptz from epoch milliseconds: microseconds since 2000-01-01 UTC. */
  timestamptz(epochMs: number): void {
    this.w.int32(8);
    this.w.int64((epochMs - POSTGRES_EPOCH_MS) * 1000);
  }

  /** A text[] (one dimension, lower bound 1, no NULL elements); `[]` is the empty array. */
  textArray(xs: readonly string[] | null): void {
    if (xs === null) return this.null();
    const at = this.w.length;
    this.w.int32(0);
    this.w.int32(xs.length === 0 ? 0 : 1); // dimensions
    this.w.int32(0); // no NULL elements
    this.w.int32(TEXT_OID);
    if (xs.length > 0) {
      this.w.int32(xs.length);
      this.w.int32(1); // lower bound
      for (const x of xs) this.text(x);
    }
    this.w.patchInt32(at, this.w.length - at - 4);
  }

  /** Ends the stream (the -1 trailer) and returns it; the writer is spent. */
  finish(): Buffer {
    this.w.int16(-1);
    return this.w.result();
  }
}

// "PGCOPY\n\377\r\n\0", 32 bits of flags (no OIDs) and a 32-bit header-extension length (none).
const HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
const POSTGRES_EPOCH_MS = Date.UTC(2000, 0, 1);
const TEXT_OID = 25;
const DASH = 0x2d;
const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX[0x30 + i] = i;
for (let i = 0; i < 6; i++) HEX[0x61 + i] = HEX[0x41 + i] = 10 + i;
