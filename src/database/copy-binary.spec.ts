import { BinaryCopyWriter } from './copy-binary';

const HEADER = '5047434f50590aff0d0a00' + '00000000' + '00000000';
const TRAILER = 'ffff';

function stream(write: (w: BinaryCopyWriter) => void): string {
  const w = new BinaryCopyWriter(8);
  write(w);
  return w.finish().toString('hex');
}

/** The bytes of one field after the header, hand-encoded per PostgreSQL's send functions. */
describe('BinaryCopyWriter', () => {
  it('writes the header, then the trailer, for an empty stream', () => {
    expect(stream(() => undefined)).toBe(HEADER + TRAILER);
  });

  it.each([
    ['a row of 2 fields', (w: BinaryCopyWriter) => w.row(2), '0002'],
    ['NULL', (w: BinaryCopyWriter) => w.int4(null), 'ffffffff'],
    ['int4 42', (w: BinaryCopyWriter) => w.int4(42), '00000004' + '0000002a'],
    ['int4 -2', (w: BinaryCopyWriter) => w.int4(-2), '00000004' + 'fffffffe'],
    ['float8 0.5', (w: BinaryCopyWriter) => w.float8(0.5), '00000008' + '3fe0000000000000'],
    ['text "très"', (w: BinaryCopyWriter) => w.text('très'), '00000005' + '7472c3a873'],
    ['text ""', (w: BinaryCopyWriter) => w.text(''), '00000000'],
    ['uuid', (w: BinaryCopyWriter) => w.uuid('0192F0B0-1234-7abc-8def-0123456789ab'), '00000010' + '0192f0b012347abc8def0123456789ab'],
    // 2000-01-01T00:00:00.001Z is 1,000 µs after PostgreSQL's epoch; 1999-12-31T23:59:59.999Z is -1,000.
    ['timestamptz 1 ms after 2000', (w: BinaryCopyWriter) => w.timestamptz(Date.UTC(2000, 0, 1) + 1), '00000008' + '00000000000003e8'],
    ['timestamptz 1 ms before 2000', (w: BinaryCopyWriter) => w.timestamptz(Date.UTC(2000, 0, 1) - 1), '00000008' + 'fffffffffffffc18'],
    // ndim 0, no nulls, element type text (OID 25).
    ['text[] {}', (w: BinaryCopyWriter) => w.textArray([]), '0000000c' + '00000000' + '00000000' + '00000019'],
    // ndim 1, no nulls, OID 25, 2 elements from 1, then each element's length and bytes.
    ['text[] {r1,r22}', (w: BinaryCopyWriter) => w.textArray(['r1', 'r22']), '00000021' + '00000001' + '00000000' + '00000019' + '00000002' + '00000001' + '00000002' + '7231' + '00000003' + '723232'],
    ['text[] NULL', (w: BinaryCopyWriter) => w.textArray(null), 'ffffffff'],
  ])('writes %s', (_name, write, bytes) => {
    expect(stream(write)).toBe(HEADER + bytes + TRAILER);
  });

  it.each(['0192f0b0-1234-7abc-8def-0123456789a', '0192f0b0-1234-7abc-8def-0123456789ag', '0192f0b0-1234-7abc-8def-0123456789abc'])('refuses %s as a uuid', (id) => {
    expect(() => stream((w) => w.uuid(id))).toThrow('not a uuid');
  });

  it.each([1.5, Number.NaN, undefined as unknown as number])('refuses %s as an int4 rather than writing 0', (x) => {
    expect(() => stream((w) => w.int4(x))).toThrow('not an int4');
  });
});
