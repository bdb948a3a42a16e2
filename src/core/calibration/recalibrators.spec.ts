import { seededRng } from '../random/rng';
import { applyHistogram, fitHistogramBinning } from './histogram-binning';
import { applyPlatt, fitPlatt, sigmoid, clampedLogit } from './platt-scaling';
import { nllClassProbabilities } from './scores';
import { TEMPERATURE_RANGE, applyTemperature, applyTemperatureToProbabilities, fitTemperature, fitTemperatureTopLabel } from './temperature-scaling';

const f64 = (xs: number[]) => Float64Array.from(xs);
const u8 = (xs: number[]) => Uint8Array.from(xs);

/** Confidences c and labels drawn from σ(a·logit(c) + b): the model Platt scaling should recover. */
function plattWorld(seed: number, n: number, a: number, b: number) {
  const rng = seededRng(seed);
  const c = new Float64Array(n);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    c[i] = 0.02 + 0.96 * rng.next();
    y[i] = rng.next() < sigmoid(a * clampedLogit(c[i]) + b) ? 1 : 0;
  }
  return { c, y };
}

describe('Platt scaling', () => {
  it('recovers a known logistic map (a = 0.5, b = 0.3) from 40k draws', () => {
    const { c, y } = plattWorld(11, 40_000, 0.5, 0.3);
    const p = fitPlatt(c, y, { smoothTargets: false });
    expect(p.a).toBeCloseTo(0.5, 1);
    expect(p.b).toBeCloseTo(0.3, 1);
  });

  it('satisfies the score equation: mean fitted confidence = accuracy (plain targets)', () => {
    const { c, y } = plattWorld(5, 3000, 2, -1);
    const p = fitPlatt(c, y, { smoothTargets: false });
    let fitted = 0;
    let acc = 0;
    for (let i = 0; i < c.length; i++) {
      fitted += applyPlatt(p, c[i]);
      acc += y[i];
    }
    expect(fitted / c.length).toBeCloseTo(acc / c.length, 8);
  });

  it.each([
    // Platt's targets keep these finite: (N₊+1)/(N₊+2) = 4/5 and 1/(N₋+2) = 1/5 pull the map inward.
    ['all correct', [0.6, 0.7, 0.9], [1, 1, 1]],
    ['all wrong', [0.6, 0.7, 0.9], [0, 0, 0]],
    ['single item at c = 1', [1], [1]],
    ['c exactly 0 and 1', [0, 1, 0, 1], [0, 1, 0, 1]],
  ])('stays finite on %s', (_name, c, y) => {
    const p = fitPlatt(f64(c), u8(y));
    expect(Number.isFinite(p.a) && Number.isFinite(p.b)).toBe(true);
    for (const v of c) expect(applyPlatt(p, v)).toBeGreaterThan(0);
  });

  it('maps an all-correct split towards its smoothed target 4/5, never to 1', () => {
    const p = fitPlatt(f64([0.6, 0.7, 0.9]), u8([1, 1, 1]));
    expect(applyPlatt(p, 0.7)).toBeCloseTo(0.8, 3);
  });

  it('refuses an empty split', () => {
    expect(() => fitPlatt(f64([]), u8([]))).toThrow(expect.objectContaining({ code: 'unprocessable' }));
  });
});

describe('histogram binning', () => {
  it('equal-width: 2 bins (0, .5] and (.5, 1] map to their accuracies', () => {
    const p = fitHistogramBinning(f64([0.2, 0.4, 0.6, 0.9]), u8([0, 1, 1, 1]), { bins: 2, binning: 'equal-width' });
    expect(p).toEqual({ binning: 'equal-width', cuts: [0.5], values: [0.5, 1] });
    expect(applyHistogram(p, 0.5)).toBe(0.5);
    expect(applyHistogram(p, 0.51)).toBe(1);
    expect(applyHistogram(p, 0)).toBe(0.5);
  });

  it('equal-width: an empty bin maps to its midpoint', () => {
    const p = fitHistogramBinning(f64([0.1, 0.9]), u8([0, 1]), { bins: 4, binning: 'equal-width' });
    expect(p.values).toEqual([0, 0.375, 0.625, 1]);
  });

  it('equal-mass: 3 bins of 2, cut halfway between neighbours', () => {
    const p = fitHistogramBinning(f64([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]), u8([0, 0, 1, 0, 1, 1]), { bins: 3 });
    expect(p.cuts[0]).toBeCloseTo(0.25, 12);
    expect(p.cuts[1]).toBeCloseTo(0.45, 12);
    expect(p.values).toEqual([0, 0.5, 1]);
    expect(applyHistogram(p, 0.3)).toBe(0.5);
    expect(applyHistogram(p, 1)).toBe(1);
  });

  it('equal-mass: never splits tied confidences', () => {
    const p = fitHistogramBinning(f64([0.5, 0.5, 0.5, 0.9]), u8([1, 0, 0, 1]), { bins: 2 });
    expect(p.cuts[0]).toBeCloseTo(0.7, 12);
    expect(p.values).toEqual([1 / 3, 1]);
  });

  it('a single confidence gives one bin', () => {
    expect(fitHistogramBinning(f64([1, 1]), u8([1, 0]))).toEqual({ binning: 'equal-mass', cuts: [], values: [0.5] });
  });
});

describe('temperature scaling', () => {
  /** Binary world: true probability q, reported confidence sharpened to σ(2·logit q), so T = 2 undoes it. */
  function sharpened(seed: number, n: number) {
    const rng = seededRng(seed);
    const c = new Float64Array(n);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const q = 0.5 + 0.49 * rng.next();
      c[i] = sigmoid(2 * clampedLogit(q));
      y[i] = rng.next() < q ? 1 : 0;
    }
    return { c, y };
  }

  it('recovers T = 2 from an overconfident binary model (top-label form)', () => {
    const { c, y } = sharpened(3, 40_000);
    expect(fitTemperatureTopLabel(c, y).temperature).toBeCloseTo(2, 1);
  });

  it('recovers T = 2 on a three-class probability matrix and lowers its NLL', () => {
    const rng = seededRng(9);
    const n = 20_000;
    const k = 3;
    const sharp = new Float64Array(n * k);
    const labels = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const raw = [rng.next() + 0.05, rng.next() + 0.05, rng.next() + 0.05];
      const s = raw[0] + raw[1] + raw[2];
      const q = raw.map((v) => v / s);
      const u = rng.next();
      labels[i] = u < q[0] ? 0 : u < q[0] + q[1] ? 1 : 2;
      const z = q.map((v) => v * v); // softmax(2·ln q) = q² / Σ q²
      const zs = z[0] + z[1] + z[2];
      for (let j = 0; j < k; j++) sharp[i * k + j] = z[j] / zs;
    }
    const t = fitTemperature(sharp, k, labels);
    expect(t.temperature).toBeCloseTo(2, 1);
    expect(nllClassProbabilities(applyTemperatureToProbabilities(t, sharp, k), k, labels)).toBeLessThan(nllClassProbabilities(sharp, k, labels));
  });

  it('clamps to the searched range when the split asks for T → 0 (all correct)', () => {
    expect(fitTemperatureTopLabel(f64([0.6, 0.8]), u8([1, 1])).temperature).toBe(TEMPERATURE_RANGE.min);
  });

  it('applies σ(logit(c)/T) to a lone confidence and softmax(ln p/T) to a row', () => {
    expect(applyTemperature({ temperature: 1 }, 0.8)).toBeCloseTo(0.8, 12);
    // T = 1/2: 0.8² / (0.8² + 0.2²) = 0.64/0.68
    expect(applyTemperature({ temperature: 0.5 }, 0.8)).toBeCloseTo(0.64 / 0.68, 12);
    const rows = applyTemperatureToProbabilities({ temperature: 0.5 }, f64([0.8, 0.2, 0.5, 0.5]), 2);
    expect(rows[0]).toBeCloseTo(0.64 / 0.68, 12);
    expect(rows[2]).toBeCloseTo(0.5, 12);
  });

  it('refuses an empty split', () => {
    expect(() => fitTemperatureTopLabel(f64([]), u8([]))).toThrow(expect.objectContaining({ code: 'unprocessable' }));
  });
});
