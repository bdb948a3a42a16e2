import { rankPredictions } from '../cost/ranked-predictions';
import { DEFAULT_BINS, eceOfBins, mceOfBins, reliabilityEqualMass, reliabilityEqualWidth } from './binning';

/** Expected calibration error over B equal-width bins (Guo et al. 2017), 15 bins by default. */
export function eceEqualWidth(conf: Float64Array, correct: Uint8Array, bins = DEFAULT_BINS): number {
  return eceOfBins(reliabilityEqualWidth(conf, correct, bins));
}

/** Expected calibration error over B equal-mass bins (Nixon et al. 2019), 15 bins by default. */
export function eceEqualMass(conf: Float64Array, correct: Uint8Array, bins = DEFAULT_BINS): number {
  return eceOfBins(reliabilityEqualMass(rankPredictions(conf, correct), bins));
}

/** Maximum calibration error over B equal-width bins (Naeini et al. 2015). */
export function mceEqualWidth(conf: Float64Array, correct: Uint8Array, bins = DEFAULT_BINS): number {
  return mceOfBins(reliabilityEqualWidth(conf, correct, bins));
}

/** Maximum calibration error over B equal-mass bins. */
export function mceEqualMass(conf: Float64Array, correct: Uint8Array, bins = DEFAULT_BINS): number {
  return mceOfBins(reliabilityEqualMass(rankPredictions(conf, correct), bins));
}
