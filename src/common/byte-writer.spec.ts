import fc from 'fast-check';
import { BufferPool, ByteWriter } from './byte-writer';

const written = (write: (w: ByteWriter) => void, capacity = 16): Buffer => {
  const w = new ByteWriter(capacity);
  write(w);
  return w.result();
};
const hex = (b: Buffer): string => b.toString('hex');

describe('ByteWriter', () => {
  it.each([
    ['int16 -1', (w: ByteWriter) => w.int16(-1), 'ffff'],
    ['int32 19', (w: ByteWriter) => w.int32(19), '00000013'],
    ['int32 -1', (w: ByteWriter) => w.int32(-1), 'ffffffff'],
    ['int32 2^31 - 1', (w: ByteWriter) => w.int32(2 ** 31 - 1), '7fffffff'],
    ['int32 -2^31', (w: ByteWriter) => w.int32(-(2 ** 31)), '80000000'],
    ['int64 1000', (w: ByteWriter) => w.int64(1000), '00000000000003e8'],
    ['int64 2^32 + 1', (w: ByteWriter) => w.int64(2 ** 32 + 1), '0000000100000001'],
    ['int64 -1', (w: ByteWriter) => w.int64(-1), 'ffffffffffffffff'],
    ['int64 -2^32', (w: ByteWriter) => w.int64(-(2 ** 32)), 'ffffffff00000000'],
    ['float64 1', (w: ByteWriter) => w.float64(1), '3ff0000000000000'],
    ['float64 -0.5', (w: ByteWriter) => w.float64(-0.5), 'bfe0000000000000'],
    ['utf8 ASCII', (w: ByteWriter) => w.utf8('ok'), '6f6b'],
    ['utf8 é', (w: ByteWriter) => w.utf8('é'), 'c3a9'],
    ['utf8 a lone surrogate', (w: ByteWriter) => w.utf8('a\ud800'), '61efbfbd'],
    ['jsonString with a quote', (w: ByteWriter) => w.jsonString('a"b'), Buffer.from('"a\\"b"').toString('hex')],
  ])('writes %s', (_name, write, bytes) => {
    expect(hex(written(write))).toBe(bytes);
  });

  it.each([2 ** 31, -(2 ** 31) - 1, Number.NaN])('refuses %s as a 32-bit integer', (x) => {
    expect(() => new ByteWriter().int32(x)).toThrow(RangeError);
  });

  it('patches a length written before the bytes it counts', () => {
    const w = new ByteWriter();
    w.int32(0);
    w.utf8('abc');
    w.patchInt32(0, 3);
    expect(hex(w.result())).toBe('00000003616263');
  });

  it('grows past its first capacity without losing bytes', () => {
    const text = 'x'.repeat(1000) + 'é'.repeat(1000);
    const w = new ByteWriter(16);
    for (let i = 0; i < 50; i++) w.int32(i);
    w.utf8(text);
    w.bytes(Buffer.alloc(300, 7));
    const out = w.result();
    expect(out.length).toBe(200 + Buffer.byteLength(text) + 300);
    expect(out.readInt32BE(49 * 4)).toBe(49);
    expect(out.subarray(200, 200 + Buffer.byteLength(text)).toString('utf8')).toBe(text);
    expect(out.subarray(-300).every((b) => b === 7)).toBe(true);
  });

  it('utf8 writes what Buffer.from writes, and jsonString what JSON.stringify writes, for any string (property)', () => {
    // Long strings too: jsonString copies those past 40 characters natively.
    const long = { minLength: 41, maxLength: 120 };
    // fast-check's 'binary' unit holds no lone surrogate: one is drawn on purpose, among ASCII.
    const surrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
    const mixed = fc.oneof(fc.constantFrom('a', '"', '\\', '\n', 'é'), surrogate);
    const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string({ unit: mixed }), fc.string(long), fc.string({ ...long, unit: 'binary' }), fc.string({ ...long, unit: mixed }));
    fc.assert(
      fc.property(fc.array(text, { maxLength: 4 }), (parts) => {
        // Each string is encoded by itself: a lone surrogate ending one and one starting the next are two U+FFFD, not a pair.
        expect(hex(written((w) => parts.forEach((s) => w.utf8(s))))).toBe(hex(Buffer.concat(parts.map((s) => Buffer.from(s)))));
        expect(hex(written((w) => parts.forEach((s) => w.jsonString(s))))).toBe(hex(Buffer.from(parts.map((s) => JSON.stringify(s)).join(''))));
      }),
      { numRuns: 1000, seed: 6 },
    );
  });
});

describe('BufferPool', () => {
  it('hands back the whole buffer under a writer result, and only one big enough', () => {
    const pool = new BufferPool(2);
    const w = new ByteWriter(100_000);
    w.utf8('abc');
    const bytes = w.result();
    pool.give(bytes);
    expect(pool.take(200_000)).toBeUndefined();
    const again = pool.take(70_000)!;
    expect(again.length).toBe(100_000);
    expect(again.buffer).toBe(bytes.buffer);
    expect(pool.take(70_000)).toBeUndefined(); // taken once, gone
  });

  it('writes over a reused buffer from the start, and grows past it when needed', () => {
    const reuse = Buffer.alloc(70_000, 0x78);
    const w = new ByteWriter(65_536, reuse);
    w.utf8('hi');
    expect(w.result().toString()).toBe('hi');
    expect(w.result().buffer).toBe(reuse.buffer);
    expect(new ByteWriter(80_000, reuse).result().buffer).not.toBe(reuse.buffer);
  });

  it('keeps no slab-backed or huge buffer, at most `keep` buffers, and lends none for a small size', () => {
    const pool = new BufferPool(1);
    pool.give(Buffer.allocUnsafe(100)); // a view into Node's shared slab
    pool.give(new ByteWriter(9 * 1024 * 1024).result());
    expect(pool.take(65_536)).toBeUndefined();
    pool.give(new ByteWriter(70_000).result());
    pool.give(new ByteWriter(90_000).result());
    expect(pool.take(1000)).toBeUndefined(); // too small to be worth a pooled buffer
    expect(pool.take(65_536)!.length).toBe(70_000);
    expect(pool.take(65_536)).toBeUndefined();
  });
});
