import { invalid } from '../errors';
import { validatePredictions } from '../cost/ranked-predictions';
import { DEFAULT_BINS } from './binning';
import { applyHistogram, fitHistogramBinning, type HistogramParams } from './histogram-binning';
import { applyIsotonic, fitIsotonic, type IsotonicParams } from './isotonic-regression';
import { applyPlatt, fitPlatt, type PlattParams } from './platt-scaling';
import { applyTemperature, fitTemperature, fitTemperatureTopLabel, type TemperatureParams } from './temperature-scaling';

/** Version of the serialized form below; bump it when params change meaning. */
export const CALIBRATOR_VERSION = 1;

export const CALIBRATOR_METHODS = ['platt', 'isotonic', 'histogram', 'temperature'] as const;
export type CalibratorMethod = (typeof CALIBRATOR_METHODS)[number];

/** A fitted recalibrator as stored and loaded by the rejector: `{method, version, params}`. */
export type Calibrator =
  | { method: 'platt'; version: 1; params: PlattParams }
  | { method: 'isotonic'; version: 1; params: IsotonicParams }
  | { method: 'histogram'; version: 1; params: HistogramParams }
  | { method: 'temperature'; version: 1; params: TemperatureParams };

export interface FitCalibratorOptions {
  /** Histogram bins (default 15). */
  bins?: number;
  binning?: HistogramParams['binning'];
  interpolation?: IsotonicParams['interpolation'];
  /** Class probabilities (n×k row-major) and true class indices of the fit split, for temperature scaling. */
  probabilities?: { matrix: Float64Array; k: number; labels: Uint32Array };
}

/**
 * Fits a recalibrator of the given method on one split (DESIGN §2). Temperature scaling uses the
 * class probabilities when given, and the two-class top-label form otherwise.
 */
export function fitCalibrator(method: CalibratorMethod, conf: Float64Array, correct: Uint8Array, options: FitCalibratorOptions = {}): Calibrator {
  switch (method) {
    case 'platt':
      return { method, version: 1, params: fitPlatt(conf, correct) };
    case 'isotonic':
      return { method, version: 1, params: fitIsotonic(conf, correct, options.interpolation ?? 'linear') };
    case 'histogram':
      return { method, version: 1, params: fitHistogramBinning(conf, correct, { bins: options.bins ?? DEFAULT_BINS, binning: options.binning }) };
    case 'temperature': {
      const p = options.probabilities;
      return { method, version: 1, params: p ? fitTemperature(p.matrix, p.k, p.labels) : fitTemperatureTopLabel(conf, correct) };
    }
    default:
      throw invalid('method', `must be one of ${CALIBRATOR_METHODS.join(', ')}`);
  }
}

/** The recalibrated confidence of c. Hot path of the rejector: no validation, no allocation (load with parseCalibrator first). */
export function applyCalibrator(cal: Calibrator, c: number): number {
  switch (cal.method) {
    case 'platt':
      return applyPlatt(cal.params, c);
    case 'isotonic':
      return applyIsotonic(cal.params, c);
    case 'histogram':
      return applyHistogram(cal.params, c);
    case 'temperature':
      return applyTemperature(cal.params, c);
  }
}

/** Recalibrates a whole array of confidences. */
export function applyCalibratorToAll(cal: Calibrator, conf: Float64Array): Float64Array {
  validatePredictions(conf, new Uint8Array(conf.length));
  const out = new Float64Array(conf.length);
  for (let i = 0; i < conf.length; i++) out[i] = applyCalibrator(cal, conf[i]);
  return out;
}

/**
 * Checks stored JSON and returns it typed, or throws `invalid_input` naming the bad field
 * (`calibrator.params.x[3]`, …). Use once when loading; `applyCalibrator` trusts its input.
 */
export function parseCalibrator(json: unknown, field = 'calibrator'): Calibrator {
  const o = asObject(json, field);
  const method = o.method;
  if (typeof method !== 'string' || !(CALIBRATOR_METHODS as readonly string[]).includes(method)) {
    throw invalid(`${field}.method`, `must be one of ${CALIBRATOR_METHODS.join(', ')}`);
  }
  if (o.version !== CALIBRATOR_VERSION) throw invalid(`${field}.version`, `must be ${CALIBRATOR_VERSION}, got ${String(o.version)}`);
  const p = asObject(o.params, `${field}.params`);
  const at = (name: string): string => `${field}.params.${name}`;
  switch (method as CalibratorMethod) {
    case 'platt':
      return { method: 'platt', version: 1, params: { a: finite(p.a, at('a')), b: finite(p.b, at('b')) } };
    case 'temperature': {
      const t = finite(p.temperature, at('temperature'));
      if (!(t > 0)) throw invalid(at('temperature'), 'must be > 0');
      return { method: 'temperature', version: 1, params: { temperature: t } };
    }
    case 'isotonic': {
      const x = numbers(p.x, at('x'));
      const y = numbers(p.y, at('y'));
      if (x.length === 0 || x.length !== y.length) throw invalid(at('y'), 'x and y must be non-empty and of equal length');
      for (let i = 1; i < x.length; i++) {
        if (!(x[i] > x[i - 1])) throw invalid(at(`x[${i}]`), 'knots must be strictly ascending');
        if (!(y[i] >= y[i - 1])) throw invalid(at(`y[${i}]`), 'values must be non-decreasing');
      }
      probabilities(y, at('y'));
      if (p.interpolation !== 'linear' && p.interpolation !== 'step') throw invalid(at('interpolation'), "must be 'linear' or 'step'");
      return { method: 'isotonic', version: 1, params: { x, y, interpolation: p.interpolation } };
    }
    case 'histogram': {
      const cuts = numbers(p.cuts, at('cuts'));
      const values = numbers(p.values, at('values'));
      if (values.length !== cuts.length + 1) throw invalid(at('values'), 'must hold one more entry than cuts');
      for (let i = 1; i < cuts.length; i++) if (!(cuts[i] > cuts[i - 1])) throw invalid(at(`cuts[${i}]`), 'cuts must be strictly ascending');
      probabilities(values, at('values'));
      if (p.binning !== 'equal-width' && p.binning !== 'equal-mass') throw invalid(at('binning'), "must be 'equal-width' or 'equal-mass'");
      return { method: 'histogram', version: 1, params: { binning: p.binning, cuts, values } };
    }
  }
}

function asObject(v: unknown, field: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid(field, 'must be an object');
  return v as Record<string, unknown>;
}

function finite(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(field, 'must be a finite number');
  return v;
}

function numbers(v: unknown, field: string): number[] {
  if (!Array.isArray(v)) throw invalid(field, 'must be an array of numbers');
  return v.map((x, i) => finite(x, `${field}[${i}]`));
}

function probabilities(v: readonly number[], field: string): void {
  v.forEach((x, i) => {
    if (x < 0 || x > 1) throw invalid(`${field}[${i}]`, 'must lie in [0, 1]');
  });
}
