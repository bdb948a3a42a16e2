import { seededRng, type Rng } from '../random/rng';

/**
 * A seeded, census-like demo data set for the walkthrough (the real adult data is reference data
 * and is not shipped). An income model predicts "<=50K" / ">50K" with confidences that are
 * over-confident (true accuracy ≈ c^1.4), and fails far more in three planted places that the
 * example rules in rules/ and rule induction should find:
 * With 20,000 rows and seed 1 the labelled error rate is 19.5% overall, and:
 *  - married executives and professionals: 36.5% (1,772 labelled rows);
 *  - a missing occupation ("?") with confidence below 0.85: 51% (233);
 *  - several jobs (said only in the free-text `notes`) with 50+ hours a week: 47% (718).
 * Splits: validation 40%, test 40%, production 20% (production rows carry no label).
 */
export interface DemoRow {
  id: string;
  predicted: string;
  confidence: number;
  label: string | null;
  split: 'validation' | 'test' | 'production';
  age: number;
  workclass: string;
  education: string;
  'marital-status': string;
  occupation: string;
  relationship: string;
  'hours-per-week': number;
  notes: string;
  /** Ground truth of the demo's one free-text concept (not a column of the CSV). */
  multipleJobs: boolean;
}

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(xs.length)];
const OCCUPATIONS = ['Exec-managerial', 'Prof-specialty', 'Sales', 'Craft-repair', 'Adm-clerical', 'Other-service', 'Machine-op-inspct', 'Tech-support', '?'];
const EDUCATION = ['HS-grad', 'Some-college', 'Bachelors', 'Masters', 'Assoc-voc', '11th', 'Doctorate'];
const WORKCLASS = ['Private', 'Self-emp-not-inc', 'Local-gov', 'State-gov', 'Federal-gov'];
const SECOND_JOB_NOTES = ['also drives for a delivery app at weekends', 'works a second job as a night guard', 'has two part-time jobs', 'moonlights as a bartender'];
const PLAIN_NOTES = ['', '', '', 'recently moved', 'long commute', 'works from home', 'changed employer this year'];

export function censusDemoRows(n: number, seed = 1): DemoRow[] {
  const rng = seededRng(seed);
  const rows: DemoRow[] = [];
  for (let i = 0; i < n; i++) {
    const married = rng.next() < 0.46;
    const occupation = rng.next() < 0.05 ? '?' : pick(rng, OCCUPATIONS.slice(0, -1));
    const multipleJobs = rng.next() < 0.08;
    const hours = Math.max(5, Math.min(99, Math.round((multipleJobs ? 52 : 40) + (rng.next() - 0.5) * 30)));
    const age = 17 + rng.int(60);
    const highIncomeOdds = (married ? 0.45 : 0.1) + (occupation === 'Exec-managerial' || occupation === 'Prof-specialty' ? 0.2 : 0);
    const truth = rng.next() < highIncomeOdds ? '>50K' : '<=50K';
    const confidence = 0.5 + 0.5 * Math.pow(rng.next(), 0.3);
    let pCorrect = Math.pow(confidence, 1.4);
    if (married && (occupation === 'Exec-managerial' || occupation === 'Prof-specialty')) pCorrect -= 0.2;
    if (occupation === '?' && confidence < 0.85) pCorrect = 0.55;
    if (multipleJobs && hours >= 50) pCorrect = Math.min(pCorrect, 0.5);
    const correct = rng.next() < pCorrect;
    const predicted = correct ? truth : truth === '>50K' ? '<=50K' : '>50K';
    const u = rng.next();
    const split = u < 0.4 ? 'validation' : u < 0.8 ? 'test' : 'production';
    rows.push({
      id: `person-${i + 1}`,
      predicted,
      confidence: Math.round(confidence * 1e4) / 1e4,
      label: split === 'production' ? null : truth,
      split,
      age,
      workclass: pick(rng, WORKCLASS),
      education: pick(rng, EDUCATION),
      'marital-status': married ? 'Married-civ-spouse' : pick(rng, ['Never-married', 'Divorced', 'Separated', 'Widowed']),
      occupation,
      relationship: married ? pick(rng, ['Husband', 'Wife']) : pick(rng, ['Not-in-family', 'Own-child', 'Unmarried']),
      'hours-per-week': hours,
      notes: multipleJobs ? pick(rng, SECOND_JOB_NOTES) : pick(rng, PLAIN_NOTES),
      multipleJobs,
    });
  }
  return rows;
}

const CSV_COLUMNS = ['id', 'predicted', 'confidence', 'label', 'split', 'age', 'workclass', 'education', 'marital-status', 'occupation', 'relationship', 'hours-per-week', 'text'] as const;

/** The rows as a Caveat prediction CSV (`text` carries the notes; the rest are attributes). */
export function demoCsv(rows: readonly DemoRow[]): string {
  const q = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) {
    lines.push(
      [r.id, r.predicted, String(r.confidence), r.label ?? '', r.split, String(r.age), r.workclass, r.education, r['marital-status'], r.occupation, r.relationship, String(r['hours-per-week']), q(r.notes)]
        .map((v) => (v === r.notes ? v : q(v)))
        .join(','),
    );
  }
  return lines.join('\n') + '\n';
}
