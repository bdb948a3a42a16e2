import { invalid } from '../errors';
import type { RankedPredictions } from '../cost/ranked-predictions';

export interface RiskCoverage {
  /** Area under the risk–coverage curve: mean over k = 1..n of the risk at coverage k/n. */
  aurc: number;
  /** AURC of a perfect ranking with the same number of errors. */
  optimalAurc: number;
  /** Excess AURC = AURC − optimal AURC (Geifman et al. 2019). */
  eAurc: number;
  /** Downsampled curve: coverage k/n and the selective risk among the top k. */
  curve: { coverage: number[]; risk: number[] };
}

/**
 * Risk–coverage curve and AURC (DESIGN §2; Geifman & El-Yaniv 2017): sort by confidence
 * descending; the risk at coverage k/n is errors among the top k divided by k, for k = 1..n; AURC
 * is the mean of those n risks. Geifman's reference code (uncertainty_ICLR, RC_curve) divides by
 * m − i where the coverage is m − i − 1 items, an off-by-one that this does not copy.
 * Ties: the top k may cut a group of tied confidences; it then takes the group's errors pro rata,
 * which is the expected risk over every order of the tied items, so the result does not depend
 * on input order. E-AURC subtracts the exact finite-n optimum, not the large-n approximation
 * r + (1 − r)·ln(1 − r) used in Geifman et al. 2019.
 */
export function riskCoverage(r: RankedPredictions, maxPoints = 200): RiskCoverage {
  if (!Number.isInteger(maxPoints) || maxPoints < 1) throw invalid('maxPoints', 'must be a positive integer');
  const { n } = r;
  const points = Math.min(maxPoints, n);
  const coverage: number[] = [];
  const risk: number[] = [];
  // Curve sample i (1-based) is taken at k = round(i·n/points), so the last sample is k = n.
  let nextSample = 1;
  let nextK = Math.round(n / points);
  let covered = 0;
  let errorsBefore = 0;
  let sumRisk = 0;
  for (let g = r.values.length - 1; g >= 0; g--) {
    const size = r.counts[g];
    const errorShare = (size - r.correct[g]) / size;
    for (let j = 1; j <= size; j++) {
      const k = covered + j;
      const rk = (errorsBefore + j * errorShare) / k;
      sumRisk += rk;
      if (k === nextK) {
        coverage.push(k / n);
        risk.push(rk);
        nextSample++;
        nextK = Math.round((nextSample * n) / points);
      }
    }
    covered += size;
    errorsBefore += size - r.correct[g];
  }
  const aurc = sumRisk / n;
  const optimalAurc = optimalAurcOf(n, n - r.totalCorrect);
  return { aurc, optimalAurc, eAurc: aurc - optimalAurc, curve: { coverage, risk } };
}

/** AURC of a perfect ranking of n items with e errors: all correct items first, so risk_k = max(0, k − (n − e))/k. */
export function optimalAurcOf(n: number, errors: number): number {
  let sum = 0;
  for (let k = n - errors + 1; k <= n; k++) sum += (k - (n - errors)) / k;
  return sum / n;
}

export interface SelectiveRisk {
  coverage: number;
  /** Items kept: k = ⌈coverage·n⌉ (at least 1). */
  k: number;
  /** Lowest confidence among the kept items. */
  threshold: number;
  /** Errors among the k most confident items divided by k (ties pro rata, as in riskCoverage). */
  risk: number;
}

/** Selective risk at a coverage in (0, 1] (Geifman & El-Yaniv 2017): the error rate of the most confident fraction. */
export function selectiveRisk(r: RankedPredictions, coverage: number): SelectiveRisk {
  if (!(coverage > 0 && coverage <= 1)) throw invalid('coverage', 'must lie in (0, 1]');
  const exact = coverage * r.n;
  // Snap float noise (0.3·10 = 3.0000000000000004) before rounding up.
  const k = Math.max(1, Math.abs(exact - Math.round(exact)) < 1e-9 * Math.max(1, exact) ? Math.round(exact) : Math.ceil(exact));
  let covered = 0;
  let errors = 0;
  for (let g = r.values.length - 1; g >= 0; g--) {
    const size = r.counts[g];
    const wrong = size - r.correct[g];
    if (covered + size >= k) {
      const take = k - covered;
      return { coverage, k, threshold: r.values[g], risk: (errors + (take * wrong) / size) / k };
    }
    covered += size;
    errors += wrong;
  }
  return { coverage, k, threshold: r.values[0], risk: errors / r.n }; // unreachable: k ≤ n
}
