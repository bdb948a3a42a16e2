// Characters JSON.stringify escapes, and any beyond ASCII (written as UTF-8 by the slow path).
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u007f-\uffff]/;
const NATIVE_COPY_FROM = 40;

/**
 * A growable byte buffer that a response or a COPY stream is written into directly. Building
 * such output as one JavaScript string costs three passes: the concatenations make a tree of
 * string pieces, which must be flattened (Fastify's Content-Length), then encoded to UTF-8 (the
 * socket write). Writing bytes is one pass, and the result goes to the socket without a copy.
 */
export class ByteWriter {
  private buf: Buffer;
  private pos = 0;

  /** A writer over `reuse` (from a BufferPool) when it holds `capacity` bytes, else over a new buffer. */
  constructor(capacity = 4096, reuse?: Buffer) {
    this.buf = reuse !== undefined && reuse.length >= capacity ? reuse : Buffer.allocUnsafe(Math.max(16, capacity));
  }

  /** Bytes written so far. */
  get length(): number {
    return this.pos;
  }

  /** The bytes written, without a copy (the writer must not be written to afterwards). */
  result(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  byte(b: number): void {
    if (this.pos === this.buf.length) this.grow(1);
    this.buf[this.pos++] = b;
  }

  bytes(src: Uint8Array): void {
    const n = src.length;
    if (this.pos + n > this.buf.length) this.grow(n);
    const buf = this.buf;
    let p = this.pos;
    // A loop beats Uint8Array.set's call for the short pieces written here.
    if (n < 64) for (let i = 0; i < n; i++) buf[p++] = src[i];
    else {
      buf.set(src, p);
      p += n;
    }
    this.pos = p;
  }

  /** Any string, as UTF-8 (lone surrogates become U+FFFD, as Buffer.from does); ASCII is copied byte by byte. */
  utf8(s: string): void {
    const n = s.length;
    if (this.pos + n > this.buf.length) this.grow(n);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.pos = p;
        this.utf8Slow(s, i);
        return;
      }
      buf[p++] = c;
    }
    this.pos = p;
  }

  /**
   * A string as a JSON string literal, as JSON.stringify writes it. Strings with nothing to
   * escape and only ASCII (ids, codes, most sentences) are copied byte by byte; any other goes
   * through JSON.stringify.
   */
  jsonString(s: string): void {
    const n = s.length;
    if (this.pos + n + 2 > this.buf.length) this.grow(n + 2);
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = 0x22;
    if (n > NATIVE_COPY_FROM) {
      // Long strings (reasons, sentences): one regular-expression test and a native copy beat the loop.
      if (NEEDS_ESCAPE.test(s)) return this.utf8Slow(JSON.stringify(s), 0);
      p += buf.write(s, p, 'latin1');
      buf[p++] = 0x22;
      this.pos = p;
      return;
    }
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c >= 0x7f || c === 0x22 || c === 0x5c) {
        this.utf8Slow(JSON.stringify(s), 0);
        return;
      }
      buf[p++] = c;
    }
    buf[p++] = 0x22;
    this.pos = p;
  }

  int16(x: number): void {
    if (this.pos + 2 > this.buf.length) this.grow(2);
    this.pos = this.buf.writeInt16BE(x, this.pos);
  }

  /** A 32-bit integer, big-endian (stored byte by byte: Buffer.writeInt32BE's checks cost more than the stores). */
  int32(x: number): void {
    if (!(x >= -0x8000_0000 && x <= 0x7fff_ffff)) throw new RangeError(`not a 32-bit integer: ${x}`);
    if (this.pos + 4 > this.buf.length) this.grow(4);
    const buf = this.buf;
    const p = this.pos;
    buf[p] = x >>> 24;
    buf[p + 1] = x >>> 16;
    buf[p + 2] = x >>> 8;
    buf[p + 3] = x;
    this.pos = p + 4;
  }

  /** A signed 64-bit integer given as a number (exact up to 2^53). */
  int64(x: number): void {
    const high = Math.floor(x / 0x1_0000_0000);
    this.int32(high);
    if (this.pos + 4 > this.buf.length) this.grow(4);
    this.pos = this.buf.writeUInt32BE(x - high * 0x1_0000_0000, this.pos);
  }

  float64(x: number): void {
    if (this.pos + 8 > this.buf.length) this.grow(8);
    this.pos = this.buf.writeDoubleBE(x, this.pos);
  }

  /** Overwrites 4 bytes written earlier (a length known only afterwards). */
  patchInt32(at: number, x: number): void {
    this.buf.writeInt32BE(x, at);
  }

  /** Writes s from index `from` on as UTF-8 (non-ASCII text: Buffer does the encoding). */
  private utf8Slow(s: string, from: number): void {
    const rest = from === 0 ? s : s.slice(from);
    const most = rest.length * 3;
    if (this.pos + most > this.buf.length) this.grow(most);
    this.pos += this.buf.write(rest, this.pos, 'utf8');
  }

  private grow(n: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
}

/**
 * Large buffers handed back once their bytes are gone (sent on a socket, copied to the database),
 * for the next writer. Every new large buffer counts towards V8's external-memory trigger: with
 * a new answer and log buffer per batch, most of the service's garbage collections were started
 * by it ("external memory pressure" in --trace-gc), not by the heap filling.
 */
export class BufferPool {
  private readonly free: Buffer[] = [];

  constructor(private readonly keep: number) {}

  /** A pooled buffer of at least `size` bytes, or undefined (always for a size too small to pool). */
  take(size: number): Buffer | undefined {
    if (size < POOLED_FROM) return undefined;
    for (let i = this.free.length - 1; i >= 0; i--) {
      if (this.free[i].length >= size) return this.free.splice(i, 1)[0];
    }
    return undefined;
  }

  /**
   * Hands back the buffer under `bytes` (a ByteWriter's result), which nobody may read or write
   * afterwards. Only buffers of POOLED_FROM to POOLED_UP_TO bytes that are whole (not a view into
   * Node's shared slab) are kept: a rare huge answer is not held for the life of the process.
   */
  give(bytes: Buffer): void {
    const size = bytes.buffer.byteLength;
    if (bytes.byteOffset !== 0 || size < POOLED_FROM || size > POOLED_UP_TO || this.free.length >= this.keep) return;
    this.free.push(Buffer.from(bytes.buffer, 0, size));
  }
}

const POOLED_FROM = 64 * 1024;
const POOLED_UP_TO = 8 * 1024 * 1024;
