import fc from 'fast-check';
import { fingerprint, IdFingerprintSet } from './id-fingerprint-set';

describe('IdFingerprintSet', () => {
  it.each<[string, string[], Array<'new' | 'seen' | 'full'>, number]>([
    ['a repeat is seen', ['a', 'a'], ['new', 'seen'], 1],
    ['ids differing in one character are both new', ['item-1', 'item-2', 'item-1'], ['new', 'new', 'seen'], 2],
    ['the empty id is an id', ['', '', 'x'], ['new', 'seen', 'new'], 2],
    ['case matters', ['K1', 'k1'], ['new', 'new'], 2],
    ['past maxIds a new id is full, a known one still seen', ['a', 'b', 'c', 'a', 'c'], ['new', 'new', 'full', 'seen', 'full'], 2],
  ])('%s', (_name, ids, expected, size) => {
    const set = new IdFingerprintSet(2);
    expect(ids.map((id) => set.add(id))).toEqual(expected);
    expect(set.size).toBe(size);
  });

  it('grows from 16 slots to 200,000 sequential ids without a false repeat, then sees every one', () => {
    const set = new IdFingerprintSet(1_000_000, 16);
    let repeats = 0;
    for (let i = 0; i < 200_000; i++) if (set.add(`item-${i}`) !== 'new') repeats++;
    expect(repeats).toBe(0);
    let missed = 0;
    for (let i = 0; i < 200_000; i++) if (set.add(`item-${i}`) !== 'seen') missed++;
    expect(missed).toBe(0);
    expect(set.size).toBe(200_000);
  });

  it('answers exactly as a Set of the ids does (any strings, any order)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.string({ unit: 'grapheme', maxLength: 4 })), { maxLength: 300 }), (ids) => {
        const set = new IdFingerprintSet(10_000, 16);
        const reference = new Set<string>();
        for (const id of ids) {
          const expected = reference.has(id) ? 'seen' : 'new';
          reference.add(id);
          if (set.add(id) !== expected) return false;
        }
        return set.size === reference.size;
      }),
      { numRuns: 300 },
    );
  });

  it('never uses the all-zero fingerprint (it marks an empty slot)', () => {
    fc.assert(
      fc.property(fc.string(), (id) => {
        const [a, b] = fingerprint(id);
        return a !== 0 || b !== 0;
      }),
    );
  });
});

describe('IdFingerprintSet.addLines', () => {
  it.each<[string, string, string[], number, Array<'new' | 'seen'>]>([
    ['nothing', '', [], 0, []],
    ['one id', 'a', ['a', 'b'], 1, ['seen', 'new']],
    ['three ids, one empty line between', 'a\nb\n\nc', ['a', 'b', 'c', ''], 4, ['seen', 'seen', 'seen', 'seen']],
    ['a trailing line break makes an empty last id', 'a\n', ['a', ''], 2, ['seen', 'seen']],
  ])('%s', (_name, lines, probe, count, expected) => {
    const set = new IdFingerprintSet(100);
    expect(set.addLines(lines)).toBe(count);
    expect(probe.map((id) => set.add(id))).toEqual(expected);
  });

  it('answers -1 when the set fills up', () => {
    const set = new IdFingerprintSet(2);
    expect(set.addLines('a\nb\nc')).toBe(-1);
    expect(set.size).toBe(2);
  });

  it('holds the same ids as adding each line (ids are never empty: an empty text holds none)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 5 }).filter((s) => !s.includes('\n')), { minLength: 1, maxLength: 50 }), (ids) => {
        const bulk = new IdFingerprintSet(1000);
        const one = new IdFingerprintSet(1000);
        expect(bulk.addLines(ids.join('\n'))).toBe(ids.length);
        for (const id of ids) one.add(id);
        return bulk.size === one.size && ids.every((id) => bulk.add(id) === 'seen');
      }),
    );
  });
});
