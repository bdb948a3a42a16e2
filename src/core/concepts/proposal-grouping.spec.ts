import { groupProposals, phraseCosine } from './proposal-grouping';

const mentions = [
  { text: 'dim lighting', count: 5 },
  { text: 'low light', count: 4 },
  { text: 'too dark', count: 4 },
  { text: 'Dark', count: 1 },
  { text: 'blurry', count: 3 },
  { text: 'motion blur', count: 2 },
  { text: 'blurred photo', count: 1 },
  { text: 'small object', count: 6 },
  { text: 'the object is too small', count: 2 },
  { text: 'tiny object', count: 1 },
];
const summary = (groups: ReturnType<typeof groupProposals>) => groups.map((g) => [g.label, g.mentions]);

describe('groupProposals (TF-IDF cosine over stems, single linkage)', () => {
  it('groups what shares a stem, and is honest that "too dark" shares none with "dim lighting"', () => {
    expect(summary(groupProposals(mentions))).toEqual([
      ['dim lighting / low light', 9], // share "light"
      ['small object / tiny object', 9], // "the object is too small" has the same stems as "small object"
      ['too dark', 5], // "Dark" has the same stems; nothing else says "dark"
      ['blurry', 3], // Porter stems "blurry" to "blurri", not "blur"; equal mentions sort by label
      ['motion blur / blurred photo', 3], // share "blur"
    ]);
  });

  it('a curator link dark ~ dim brings "too dark" in: dim lighting / low light / too dark (14 mentions)', () => {
    expect(summary(groupProposals(mentions, { links: [['dark', 'dim']] }))[0]).toEqual(['dim lighting / too dark / low light', 14]);
  });

  it('a multi-word link joins phrasings that share no stem', () => {
    const groups = groupProposals(mentions, { links: [['blurry', 'motion blur']] });
    expect(summary(groups)).toContainEqual(['blurry / motion blur / blurred photo', 6]);
  });

  it('a threshold above the pair cosines keeps every phrasing apart', () => {
    expect(groupProposals(mentions, { threshold: 0.9 })).toHaveLength(8);
  });

  it('two phrasings alone, sharing one stem of two, still group (cosine 0.26 ≥ 0.25)', () => {
    expect(summary(groupProposals([{ text: 'dim lighting', count: 3 }, { text: 'low light' }]))).toEqual([['dim lighting / low light', 4]]);
    expect(phraseCosine('dim lighting', 'low light', ['dim lighting', 'low light'])).toBeCloseTo(0.354 / 1.354, 3); // x = 1 + ln(2/3), y = 1
  });

  it('the cosine of two two-word phrases sharing one stem is about 0.4 among 8 phrasings', () => {
    const corpus = mentions.map((m) => m.text);
    expect(phraseCosine('dim lighting', 'low light', corpus)).toBeGreaterThan(0.35);
    expect(phraseCosine('dim lighting', 'low light', corpus)).toBeLessThan(0.5);
    expect(phraseCosine('too dark', 'dim lighting', corpus)).toBe(0);
  });

  it('rejects a bad mention count, naming it', () => {
    expect(() => groupProposals([{ text: 'x', count: 0 }])).toThrow(expect.objectContaining({ details: expect.objectContaining({ field: 'mentions[0].count' }) }));
  });
});
