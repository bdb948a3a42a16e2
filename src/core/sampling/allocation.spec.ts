import fc from 'fast-check';
import { allocate } from './allocation';

describe('allocate', () => {
  it.each([
    { scenario: 'proportional, exact shares', budget: 10, sizes: [50, 30, 20], scheme: 'proportional' as const, expected: [5, 3, 2] },
    { scenario: 'proportional lifts tiny strata to 1 and gives the rest to the big one', budget: 10, sizes: [97, 2, 1], scheme: 'proportional' as const, expected: [8, 1, 1] },
    { scenario: 'proportional remainder goes to the largest fraction, ties to the lower index', budget: 4, sizes: [3, 3, 3], scheme: 'proportional' as const, expected: [2, 1, 1] },
    { scenario: 'equal with a capped stratum: its surplus is shared (12.5 each, tie → first)', budget: 30, sizes: [100, 5, 50], scheme: 'equal' as const, expected: [13, 5, 12] },
    { scenario: 'equal skips empty strata', budget: 6, sizes: [10, 0, 10], scheme: 'equal' as const, expected: [3, 0, 3] },
    { scenario: 'a budget at least the population takes everything', budget: 50, sizes: [3, 4], scheme: 'equal' as const, expected: [3, 4] },
  ])('$scenario', ({ budget, sizes, scheme, expected }) => {
    expect(allocate(budget, sizes, scheme)).toEqual(expected);
  });

  it('without a minimum a small stratum may get nothing', () => {
    expect(allocate(5, [90, 10], 'proportional', 0)).toEqual([5, 0]);
  });

  it('refuses a budget that cannot reach every non-empty stratum', () => {
    expect(() => allocate(2, [1, 1, 1], 'proportional')).toThrow(expect.objectContaining({ code: 'invalid_input', details: expect.objectContaining({ field: 'budget' }) }));
  });

  it('always sums to min(budget, N) within [min(1, N_h), N_h]', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.constantFrom('proportional' as const, 'equal' as const),
        (sizes, extra, scheme) => {
          const nonEmpty = sizes.filter((n) => n > 0).length;
          const budget = nonEmpty + extra;
          const n = allocate(budget, sizes, scheme);
          const N = sizes.reduce((a, b) => a + b, 0);
          return n.reduce((a, b) => a + b, 0) === Math.min(budget, N) && n.every((x, h) => x <= sizes[h] && x >= Math.min(1, sizes[h]));
        },
      ),
    );
  });
});
