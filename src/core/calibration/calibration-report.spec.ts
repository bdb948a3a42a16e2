import { rankPredictions } from '../cost/ranked-predictions';
import { calibrationReport } from './calibration-report';
import { eceEqualMass, eceEqualWidth } from './ece';

const f64 = (xs: number[]) => Float64Array.from(xs);
const u8 = (xs: number[]) => Uint8Array.from(xs);

describe('calibrationReport', () => {
  const conf = f64([0.35, 0.1, 1.0, 0.8, 0.3, 0.9]);
  const correct = u8([0, 0, 1, 1, 1, 1]);

  it('gathers the metrics the single functions compute (hand values in binning.spec.ts)', () => {
    const r = calibrationReport(conf, correct, { bins: 5, threshold: 0.85, h: 0.05, coverages: [0.5] });
    expect(r.n).toBe(6);
    expect(r.accuracy).toBeCloseTo(4 / 6, 12);
    expect(r.meanConfidence).toBeCloseTo(3.45 / 6, 12);
    expect(r.eceEqualWidth).toBeCloseTo(0.125, 12);
    expect(r.eceEqualMass).toBeCloseTo(eceEqualMass(conf, correct, 5), 12);
    expect(r.mceEqualWidth).toBeCloseTo(0.2, 12);
    expect(r.local).toMatchObject({ count: 2, accuracy: 1, meanConfidence: expect.closeTo(0.85, 12) });
    expect(r.selectiveRisk).toEqual([{ coverage: 0.5, k: 3, threshold: 0.8, risk: 0 }]);
    expect(r.nll).toBeNull();
    expect(r.reliability.equalWidth).toHaveLength(5);
  });

  it('uses a ranking passed in, and the same figures come out', () => {
    const ranked = rankPredictions(conf, correct);
    expect(calibrationReport(conf, correct, { ranked })).toEqual(calibrationReport(conf, correct));
    expect(calibrationReport(conf, correct).eceEqualWidth).toBeCloseTo(eceEqualWidth(conf, correct, 15), 12);
  });

  it('adds the multiclass NLL when class probabilities are given', () => {
    const r = calibrationReport(f64([0.7, 0.8]), u8([1, 0]), { probabilities: { matrix: f64([0.7, 0.3, 0.2, 0.8]), k: 2, labels: Uint32Array.from([0, 0]) } });
    expect(r.nll).toBeCloseTo((-Math.log(0.7) - Math.log(0.2)) / 2, 12);
  });

  it('is plain JSON even for a single item (no NaN or Infinity anywhere)', () => {
    const r = calibrationReport(f64([1]), u8([0]), { threshold: 2 / 3 });
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect(r.local?.error).toBeNull();
  });

  it('refuses an empty split with unprocessable', () => {
    expect(() => calibrationReport(f64([]), u8([]))).toThrow(expect.objectContaining({ code: 'unprocessable' }));
  });
});
