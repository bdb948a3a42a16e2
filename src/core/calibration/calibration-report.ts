import { invalid } from '../errors';
import { rankPredictions, type RankedPredictions } from '../cost/ranked-predictions';
import { DEFAULT_BINS, eceOfBins, mceOfBins, reliabilityEqualMass, reliabilityEqualWidth, type ReliabilityBin } from './binning';
import { localCalibrationError, type LocalCalibration } from './local-calibration';
import { riskCoverage, selectiveRisk, type RiskCoverage, type SelectiveRisk } from './risk-coverage';
import { brierTopLabel, nllClassProbabilities, nllTopLabel } from './scores';

export interface CalibrationReportOptions {
  /** Bins for both ECE variants and the reliability data (default 15). */
  bins?: number;
  /** Threshold for the local calibration error (normally T*); omitted → no local figure. */
  threshold?: number;
  /** Half-width of the local window (default 0.05). */
  h?: number;
  /** Coverages at which to report the selective risk (default 0.5, 0.8, 0.9, 0.95). */
  coverages?: readonly number[];
  /** Full class probabilities, when stored: n×k row-major and the true class index of each item. */
  probabilities?: { matrix: Float64Array; k: number; labels: Uint32Array };
  /** Points kept on the risk–coverage curve (default 200). */
  maxPoints?: number;
  /** A ranking of the same predictions, when the caller already has one. */
  ranked?: RankedPredictions;
}

/** All DESIGN §2 calibration figures of one split, as JSON-able data. */
export interface CalibrationReport {
  n: number;
  accuracy: number;
  meanConfidence: number;
  bins: number;
  eceEqualWidth: number;
  eceEqualMass: number;
  mceEqualWidth: number;
  mceEqualMass: number;
  brierTopLabel: number;
  nllTopLabel: number;
  /** Multiclass NLL; null when no class probabilities are stored. */
  nll: number | null;
  local: LocalCalibration | null;
  riskCoverage: RiskCoverage;
  selectiveRisk: SelectiveRisk[];
  reliability: { equalWidth: ReliabilityBin[]; equalMass: ReliabilityBin[] };
}

/**
 * Every calibration metric of DESIGN §2 over one split: ECE (equal-width and equal-mass), MCE,
 * top-label Brier and NLL, multiclass NLL when probabilities exist, local error at the threshold,
 * risk–coverage with AURC/E-AURC, selective risks and reliability data. One sort, shared.
 */
export function calibrationReport(conf: Float64Array, correct: Uint8Array, options: CalibrationReportOptions = {}): CalibrationReport {
  const bins = options.bins ?? DEFAULT_BINS;
  const ranked = options.ranked ?? rankPredictions(conf, correct);
  if (ranked.n !== conf.length) throw invalid('ranked', 'does not rank these predictions');
  const equalWidth = reliabilityEqualWidth(conf, correct, bins);
  const equalMass = reliabilityEqualMass(ranked, bins);
  let sumC = 0;
  for (let i = 0; i < conf.length; i++) sumC += conf[i];
  const p = options.probabilities;
  return {
    n: ranked.n,
    accuracy: ranked.totalCorrect / ranked.n,
    meanConfidence: sumC / ranked.n,
    bins,
    eceEqualWidth: eceOfBins(equalWidth),
    eceEqualMass: eceOfBins(equalMass),
    mceEqualWidth: mceOfBins(equalWidth),
    mceEqualMass: mceOfBins(equalMass),
    brierTopLabel: brierTopLabel(conf, correct),
    nllTopLabel: nllTopLabel(conf, correct),
    nll: p ? nllClassProbabilities(p.matrix, p.k, p.labels) : null,
    local: options.threshold === undefined ? null : localCalibrationError(conf, correct, options.threshold, options.h ?? 0.05),
    riskCoverage: riskCoverage(ranked, options.maxPoints ?? 200),
    selectiveRisk: (options.coverages ?? [0.5, 0.8, 0.9, 0.95]).map((q) => selectiveRisk(ranked, q)),
    reliability: { equalWidth, equalMass },
  };
}
