import fc from 'fast-check';
import { decisionId } from './decision-id';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('decisionId: time-ordered UUID version 7', () => {
  it('carries the millisecond timestamp in its first 48 bits (RFC 9562 example time 0x017F22E279B0)', () => {
    const id = decisionId(0x017f22e279b0);
    expect(id.slice(0, 13)).toBe('017f22e2-79b0');
    expect(id).toMatch(UUID_V7);
  });
  it('has the version 7 and variant 10 bits, and is unique, for any time', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 48 - 1 }), (t) => {
        const a = decisionId(t);
        expect(a).toMatch(UUID_V7);
        expect(parseInt(a.replace(/-/g, '').slice(0, 12), 16)).toBe(t);
        expect(decisionId(t)).not.toBe(a);
      }),
    );
  });
  it('sorts by time: an id made a millisecond later sorts after', () => {
    const ids = Array.from({ length: 500 }, (_, i) => decisionId(1_700_000_000_000 + i));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
