import fc from 'fast-check';
import { jsonText } from './json-body';

describe('jsonText', () => {
  it.each([
    ['ASCII', '{"a":"b"}'],
    ['UTF-8 text', '{"a":"très — 暗い"}'],
    ['a byte-order mark', '\ufeff{"a":1}'],
    ['an emoji (4-byte UTF-8)', '{"a":"📷"}'],
    ['empty', ''],
  ])('reads %s as UTF-8', (_name, text) => {
    expect(jsonText(Buffer.from(text, 'utf8'))).toBe(text);
  });

  it('reads bytes that are not valid UTF-8 as Buffer.toString does (replacement characters)', () => {
    const bytes = Buffer.from([0x7b, 0xff, 0xc3, 0x7d]);
    expect(jsonText(bytes)).toBe(bytes.toString('utf8'));
    expect(jsonText(bytes)).toContain('\ufffd');
  });

  it('equals Buffer.toString("utf8") on any bytes (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ max: 0x7f, maxLength: 64 })), (bytes) => {
        const body = Buffer.from(bytes);
        expect(jsonText(body)).toBe(body.toString('utf8'));
      }),
      { numRuns: 1000, seed: 6 },
    );
  });
});
