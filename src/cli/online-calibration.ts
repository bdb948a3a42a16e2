import type { CalibrationReport } from '../core/calibration/calibration-report';
import type { Calibrator, CalibratorMethod } from '../core/calibration/calibrator';
import type { ThresholdReport } from '../core/cost/threshold-report';
import { parseSplit, type Split } from '../core/predictions/prediction-row';
import { callApi } from './http-client';
import { withService } from './service-access';

const enc = encodeURIComponent;

/** `caveat thresholds --model NAME`: the service's threshold report of a split. */
export async function fetchThresholds(model: string, o: { url?: string; split?: string; replicates: number; seed: number }): Promise<ThresholdReport & { split: Split }> {
  const split = parseSplit(o.split ?? 'validation', 'split');
  return withService(
    o.url,
    (url) => callApi(url, 'GET', `models/${enc(model)}/thresholds?split=${split}&replicates=${o.replicates}&seed=${o.seed}`),
    (s) => s.calibration.thresholds(model, { split, replicates: o.replicates, seed: o.seed }),
  );
}

interface FittedView {
  version: number;
  calibrator: Calibrator;
  fitN: number;
}

/**
 * `caveat calibrate --model NAME --method M`: fits and stores each recalibrator on the fit split,
 * then reads the metrics of the eval split before and after each.
 */
export async function fitAndScore(
  model: string,
  o: { url?: string; methods: CalibratorMethod[]; fitSplit?: string; evalSplit?: string; bins: number; h: number },
): Promise<{ tStar: number; raw: CalibrationReport; fitSplit: Split; evalSplit: Split; fitN: number; methods: Array<{ version: number; calibrator: Calibrator; report: CalibrationReport }> }> {
  const fitSplit = parseSplit(o.fitSplit ?? 'validation', 'fit-split');
  const evalSplit = parseSplit(o.evalSplit ?? 'test', 'eval-split');
  type Report = { tStar: number; raw: CalibrationReport; calibrated: { report: CalibrationReport } | null };
  type Fit = (method: CalibratorMethod) => Promise<FittedView>;
  type Score = (version: number) => Promise<Report>;
  // Fits each method, then scores the eval split with it; the raw figures come with every report.
  const fitAll = async (fit: Fit, score: Score) => {
    const methods = [];
    let raw: Report | undefined;
    let fitN = 0;
    for (const method of o.methods) {
      const fitted = await fit(method);
      const report = await score(fitted.version);
      raw = report;
      fitN = fitted.fitN;
      methods.push({ version: fitted.version, calibrator: fitted.calibrator, report: report.calibrated!.report });
    }
    return { tStar: raw!.tStar, raw: raw!.raw, fitSplit, evalSplit, fitN, methods };
  };
  return withService(
    o.url,
    (url) =>
      fitAll(
        (method) => callApi<FittedView>(url, 'POST', `models/${enc(model)}/calibrators`, { json: { method, fitSplit, scoreSplit: evalSplit, bins: o.bins } }),
        (version) => callApi<Report>(url, 'GET', `models/${enc(model)}/calibration?split=${evalSplit}&calibrator=${version}&bins=${o.bins}&h=${o.h}`),
      ),
    (s) =>
      fitAll(
        async (method) => (await s.calibration.fit(model, { method, fitSplit, scoreSplit: evalSplit, bins: o.bins })) as FittedView,
        async (version) => (await s.calibration.calibration(model, { split: evalSplit, calibratorVersion: version, bins: o.bins, h: o.h })) as Report,
      ),
  );
}
