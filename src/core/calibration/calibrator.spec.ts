import { seededRng } from '../random/rng';
import { CALIBRATOR_METHODS, applyCalibrator, applyCalibratorToAll, fitCalibrator, parseCalibrator } from './calibrator';

describe('serialized calibrators', () => {
  const rng = seededRng(2);
  const n = 500;
  const c = new Float64Array(n);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    c[i] = rng.next();
    y[i] = rng.next() < c[i] * c[i] ? 1 : 0;
  }

  it.each(CALIBRATOR_METHODS)('%s: {method, version: 1, params} survives JSON and applies identically', (method) => {
    const fitted = fitCalibrator(method, c, y);
    expect(fitted).toMatchObject({ method, version: 1 });
    const loaded = parseCalibrator(JSON.parse(JSON.stringify(fitted)));
    expect(loaded).toEqual(fitted);
    const all = applyCalibratorToAll(loaded, c);
    for (const v of [0, 0.05, 0.5, 0.77, 1]) {
      const out = applyCalibrator(loaded, v);
      expect(out).toBe(applyCalibrator(fitted, v));
      expect(out).toBeGreaterThanOrEqual(0);
      expect(out).toBeLessThanOrEqual(1);
    }
    expect(all[7]).toBe(applyCalibrator(fitted, c[7]));
  });

  it.each([
    ['not an object', 7, 'calibrator'],
    ['an unknown method', { method: 'magic', version: 1, params: {} }, 'calibrator.method'],
    ['a future version', { method: 'platt', version: 2, params: { a: 1, b: 0 } }, 'calibrator.version'],
    ['a non-finite Platt slope', { method: 'platt', version: 1, params: { a: null, b: 0 } }, 'calibrator.params.a'],
    ['a zero temperature', { method: 'temperature', version: 1, params: { temperature: 0 } }, 'calibrator.params.temperature'],
    ['descending isotonic knots', { method: 'isotonic', version: 1, params: { x: [0.5, 0.2], y: [0, 1], interpolation: 'linear' } }, 'calibrator.params.x[1]'],
    ['decreasing isotonic values', { method: 'isotonic', version: 1, params: { x: [0.2, 0.5], y: [1, 0], interpolation: 'linear' } }, 'calibrator.params.y[1]'],
    ['an unknown interpolation', { method: 'isotonic', version: 1, params: { x: [0.2], y: [1], interpolation: 'cubic' } }, 'calibrator.params.interpolation'],
    ['histogram values of the wrong length', { method: 'histogram', version: 1, params: { binning: 'equal-mass', cuts: [0.5], values: [1] } }, 'calibrator.params.values'],
    ['a histogram value above 1', { method: 'histogram', version: 1, params: { binning: 'equal-mass', cuts: [], values: [1.5] } }, 'calibrator.params.values[0]'],
  ])('rejects %s naming %s', (_name, json, field) => {
    expect(() => parseCalibrator(json)).toThrow(expect.objectContaining({ code: 'invalid_input', details: expect.objectContaining({ field }) }));
  });

  it('rejects an unknown method when fitting', () => {
    expect(() => fitCalibrator('magic' as never, c, y)).toThrow(expect.objectContaining({ code: 'invalid_input', details: { field: 'method' } }));
  });
});
