import { invalid } from '../errors';
import { validatePredictions } from '../cost/ranked-predictions';

export interface LocalCalibration {
  threshold: number;
  h: number;
  /** Items with |c − threshold| ≤ h. */
  count: number;
  meanConfidence: number | null;
  accuracy: number | null;
  /** |accuracy − meanConfidence| in the window; null when the window is empty. */
  error: number | null;
}

/**
 * Local calibration error at a threshold (DESIGN §2): |mean(y) − mean(c)| over the items with
 * |c − t| ≤ h (h = 0.05 by default), with their count. Errors far from the threshold do not
 * change any decision.
 */
export function localCalibrationError(conf: Float64Array, correct: Uint8Array, threshold: number, h = 0.05): LocalCalibration {
  validatePredictions(conf, correct);
  if (!Number.isFinite(threshold)) throw invalid('threshold', 'must be a finite number');
  if (!(h >= 0)) throw invalid('h', 'must be a number ≥ 0');
  // The window is widened by 1e-12 so that float rounding does not drop an item that sits on
  // the edge (0.55 − 0.5 evaluates to 0.05000000000000004).
  const reach = h + 1e-12;
  let count = 0;
  let sumC = 0;
  let sumY = 0;
  for (let i = 0; i < conf.length; i++) {
    if (Math.abs(conf[i] - threshold) <= reach) {
      count++;
      sumC += conf[i];
      sumY += correct[i];
    }
  }
  if (count === 0) return { threshold, h, count, meanConfidence: null, accuracy: null, error: null };
  return { threshold, h, count, meanConfidence: sumC / count, accuracy: sumY / count, error: Math.abs(sumY - sumC) / count };
}
