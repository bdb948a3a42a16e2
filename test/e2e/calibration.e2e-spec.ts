import { seededRng } from '../../src/core/random/rng';
import { adultPredictionsCsv } from '../fixtures/adult-mlp';
import { describeWithData } from '../support/shared-data';
import { startTestApp, type TestApp } from '../support/test-app';

/** A seeded over-confident model: the true accuracy at confidence c is c², so recalibration must help. */
function overconfidentCsv(n: number, seed: number): string {
  const rng = seededRng(seed);
  const lines = ['id,predicted,confidence,label,split'];
  for (let i = 0; i < n; i++) {
    const c = 0.5 + rng.next() / 2;
    const correct = rng.next() < c * c;
    lines.push(`s${i},yes,${c.toFixed(6)},${correct ? 'yes' : 'no'},${i % 2 ? 'validation' : 'test'}`);
  }
  return lines.join('\n') + '\n';
}

describe('thresholds and calibration endpoints', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await t.request('POST', '/models', { name: 'oc', classes: ['yes', 'no'], costPolicy: { K: 3 } });
    const r = await t.request('POST', '/models/oc/predictions/import', overconfidentCsv(4000, 11), { 'content-type': 'text/csv' });
    expect(r.body.rows).toBe(4000);
    await t.request('POST', '/models', { name: 'empty', classes: ['yes', 'no'] });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('reports T*, Tv with an interval, RV/EV at both and the baselines', async () => {
    const r = await t.request('GET', '/models/oc/thresholds?split=validation&replicates=50');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ model: 'oc', split: 'validation', n: 2000, tStar: 0.5, policyVersion: 1 });
    expect(r.body.atTv.rv).toBeGreaterThanOrEqual(r.body.atTStar.rv);
    // Over-confident: at T* the expected value overstates the realized one.
    expect(r.body.atTStar.gap).toBeGreaterThan(0);
    expect(r.body.bootstrap.tv.lo).toBeLessThanOrEqual(r.body.tv);
    expect(r.body.bootstrap.tv.hi).toBeGreaterThanOrEqual(r.body.tv);
    expect(r.body.baselines).toBeDefined();
    expect(r.body.curves.threshold.length).toBeLessThanOrEqual(200);
  });

  it('reports calibration metrics and fits, stores and applies a recalibrator', async () => {
    const raw = await t.request('GET', '/models/oc/calibration?split=test');
    expect(raw.status).toBe(200);
    expect(raw.body.raw.n).toBe(2000);
    expect(raw.body.raw.eceEqualWidth).toBeGreaterThan(0.05);
    expect(raw.body.raw.local.count).toBeGreaterThan(0);
    expect(raw.body.calibrated).toBeNull();

    const fit = await t.request('POST', '/models/oc/calibrators', { method: 'isotonic' });
    expect(fit.status).toBe(201);
    expect(fit.body).toMatchObject({ version: 1, method: 'isotonic', fitSplit: 'validation', fitN: 2000, active: false, scores: { split: 'test', n: 2000 } });
    expect(fit.body.scores.after.eceEqualWidth).toBeLessThan(fit.body.scores.before.eceEqualWidth);
    const platt = await t.request('POST', '/models/oc/calibrators', { method: 'platt' });
    expect(platt.body.version).toBe(2);

    const after = await t.request('GET', '/models/oc/calibration?split=test&calibrator=1');
    expect(after.body.calibrated.report.eceEqualWidth).toBeCloseTo(fit.body.scores.after.eceEqualWidth, 10);
    const list = await t.request('GET', '/models/oc/calibrators');
    expect(list.body.map((c: { version: number }) => c.version)).toEqual([2, 1]);
    expect(list.body[0].calibrator).toBeUndefined();
    expect((await t.request('GET', '/models/oc/calibrators/1')).body.calibrator.method).toBe('isotonic');

    expect((await t.request('POST', '/models/oc/calibrators/2/activate')).body.active).toBe(true);
    const active = (await t.request('GET', '/models/oc/calibrators')).body.filter((c: { active: boolean }) => c.active);
    expect(active.map((c: { version: number }) => c.version)).toEqual([2]);
    expect((await t.request('DELETE', '/models/oc/calibrators/active')).body).toEqual({ active: null });
  });

  it.each([
    ['GET', '/models/empty/thresholds', undefined, 422, 'unprocessable'],
    ['GET', '/models/empty/calibration?split=test', undefined, 422, 'unprocessable'],
    ['GET', '/models/nope/thresholds', undefined, 404, 'not_found'],
    ['GET', '/models/oc/thresholds?split=dev', undefined, 400, 'invalid_input'],
    ['GET', '/models/oc/thresholds?replicates=-1', undefined, 400, 'invalid_input'],
    ['GET', '/models/oc/calibration?bins=0', undefined, 400, 'invalid_input'],
    ['GET', '/models/oc/calibration?calibrator=99', undefined, 404, 'not_found'],
    ['POST', '/models/oc/calibrators', { method: 'magic' }, 400, 'invalid_input'],
    ['POST', '/models/oc/calibrators', { method: 'platt', fitSplit: 'test', scoreSplit: 'test' }, 400, 'invalid_input'],
    ['POST', '/models/oc/calibrators', { method: 'platt', fitSplit: 'train' }, 422, 'unprocessable'],
    ['POST', '/models/oc/calibrators/7/activate', undefined, 404, 'not_found'],
  ])('%s %s %j → %i', async (method, url, body, status, code) => {
    const r = await t.request(method as 'GET' | 'POST', url, body);
    expect(r.status).toBe(status);
    expect(r.body.error.code).toBe(code);
  });
});

describeWithData('adult MLP scores: thresholds and recalibration on real data', ['adult/adult-mlp-scores.csv'], ([path]) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await t.request('POST', '/models', { name: 'adult', classes: ['<=50K', '>50K'] });
    const { csv, n } = adultPredictionsCsv(path);
    const r = await t.request('POST', '/models/adult/predictions/import', csv, { 'content-type': 'text/csv' });
    expect(r.body.rows).toBe(n);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('RV(Tv) on validation is at least RV(T*)', async () => {
    const r = await t.request('GET', '/models/adult/thresholds?split=validation&replicates=100');
    expect(r.body.atTv.rv).toBeGreaterThanOrEqual(r.body.atTStar.rv);
    console.log(`adult: T* ${r.body.tStar.toFixed(4)}, Tv ${r.body.tv.toFixed(4)} [${r.body.bootstrap.tv.lo.toFixed(4)}, ${r.body.bootstrap.tv.hi.toFixed(4)}], RV(T*) ${r.body.atTStar.rv.toFixed(4)}, RV(Tv) ${r.body.atTv.rv.toFixed(4)}`);
  });

  // The adult scores are in-sample, so the raw test ECE (~0.008) sits near the noise floor of a
  // perfectly calibrated model with these confidences (~0.0055): the two-parameter Platt and
  // temperature fits lower it reliably, while isotonic and histogram binning (many parameters)
  // lower it on some splits and not others. Those two are asserted strictly on the over-confident
  // synthetic model above; here their figures are printed, not asserted.
  it.each([
    ['platt', true],
    ['temperature', true],
    ['isotonic', false],
    ['histogram', false],
  ])('%s recalibration (asserted lower: %s)', async (method, asserted) => {
    const fit = await t.request('POST', '/models/adult/calibrators', { method });
    expect(fit.status).toBe(201);
    console.log(`adult ${method}: test ECE(equal-width) ${fit.body.scores.before.eceEqualWidth.toFixed(4)} → ${fit.body.scores.after.eceEqualWidth.toFixed(4)}`);
    if (asserted) expect(fit.body.scores.after.eceEqualWidth).toBeLessThan(fit.body.scores.before.eceEqualWidth);
    else expect(fit.body.scores.after.eceEqualWidth).toBeLessThan(0.02);
  });
});
