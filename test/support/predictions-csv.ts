import { seededRng } from '../../src/core/random/rng';

/**
 * `n` labelled predictions of class `yes` as CSV, seeded: confidence c uniform in [0.5, 1), correct
 * with probability c² (over-confident, so Platt scaling lowers high scores), split alternately
 * between validation and test.
 */
export function overconfidentCsv(seed: number, n: number): string {
  const rng = seededRng(seed);
  const lines = ['id,predicted,confidence,label,split'];
  for (let i = 0; i < n; i++) {
    const c = 0.5 + rng.next() / 2;
    lines.push(`c${i},yes,${c.toFixed(4)},${rng.next() < c * c ? 'yes' : 'no'},${i % 2 ? 'validation' : 'test'}`);
  }
  return lines.join('\n') + '\n';
}
