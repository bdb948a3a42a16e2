import { brierTopLabel, nllClassProbabilities, nllTopLabel } from './scores';
import { localCalibrationError } from './local-calibration';

const f64 = (xs: number[]) => Float64Array.from(xs);
const u8 = (xs: number[]) => Uint8Array.from(xs);

describe('top-label Brier and NLL', () => {
  it.each([
    // [scenario, c, y, Brier, NLL]
    // (0² + 0² + 0.5² + 0.8²)/4 = 0.2225; −(ln 1 + ln 1 + ln 0.5 + ln 0.2)/4
    ['mixed, with c exactly 0 and 1', [1, 0, 0.5, 0.8], [1, 0, 1, 0], 0.2225, (Math.log(2) + Math.log(5)) / 4],
    ['all correct at c = 1', [1, 1], [1, 1], 0, 0],
    ['single wrong item', [0.75], [0], 0.5625, Math.log(4)],
    ['confident miss is clamped, not Infinity: −ln 1e-12', [0], [1], 1, -Math.log(1e-12)],
  ])('%s', (_name, c, y, brier, nll) => {
    expect(brierTopLabel(f64(c), u8(y))).toBeCloseTo(brier, 12);
    expect(nllTopLabel(f64(c), u8(y))).toBeCloseTo(nll, 9);
  });

  it('refuses an empty split', () => {
    expect(() => brierTopLabel(f64([]), u8([]))).toThrow(expect.objectContaining({ code: 'unprocessable' }));
    expect(() => nllTopLabel(f64([]), u8([]))).toThrow(expect.objectContaining({ code: 'unprocessable' }));
  });
});

describe('multiclass NLL', () => {
  it('is the mean −ln p(true class): (−ln 0.7 − ln 0.1)/2', () => {
    const p = f64([0.7, 0.2, 0.1, 0.1, 0.1, 0.8]);
    expect(nllClassProbabilities(p, 3, Uint32Array.from([0, 1]))).toBeCloseTo((-Math.log(0.7) - Math.log(0.1)) / 2, 12);
  });

  it.each([
    ['a label outside the classes', [0.5, 0.5], 2, [2], 'labels[0]'],
    ['a matrix of the wrong size', [0.5, 0.5, 1], 2, [0], 'probabilities'],
    ['a probability above 1', [1.5, 0.5], 2, [0], 'probabilities[0]'],
    ['one class', [1], 1, [0], 'k'],
  ])('rejects %s', (_name, p, k, labels, field) => {
    expect(() => nllClassProbabilities(f64(p), k, Uint32Array.from(labels))).toThrow(expect.objectContaining({ code: 'invalid_input', details: expect.objectContaining({ field }) }));
  });

  it('refuses an empty split', () => {
    expect(() => nllClassProbabilities(f64([]), 2, new Uint32Array(0))).toThrow(expect.objectContaining({ code: 'unprocessable' }));
  });
});

describe('local calibration error at the threshold', () => {
  it('uses only items with |c − t| ≤ h: 0.62 and 0.7 around t = 2/3', () => {
    const local = localCalibrationError(f64([0.6, 0.62, 0.7, 0.75, 0.9]), u8([1, 0, 1, 1, 1]), 2 / 3, 0.05);
    expect(local).toEqual({ threshold: 2 / 3, h: 0.05, count: 2, meanConfidence: expect.closeTo(0.66, 12), accuracy: 0.5, error: expect.closeTo(0.16, 12) });
  });

  it('includes items exactly on the window edge despite float rounding', () => {
    expect(localCalibrationError(f64([0.45, 0.55, 0.56, 0.44]), u8([1, 1, 1, 1]), 0.5, 0.05).count).toBe(2);
  });

  it('reports an empty window with nulls, not NaN', () => {
    expect(localCalibrationError(f64([0.1, 0.95]), u8([0, 1]), 0.5)).toEqual({ threshold: 0.5, h: 0.05, count: 0, meanConfidence: null, accuracy: null, error: null });
  });

  it('covers c = 1 at T* = 1', () => {
    expect(localCalibrationError(f64([1, 1, 0.5]), u8([1, 0, 1]), 1).accuracy).toBe(0.5);
  });
});
