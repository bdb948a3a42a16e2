import { readFileSync } from 'node:fs';
import { describeWithData } from '../../../test/support/shared-data';
import { parseCsv } from '../csv/csv-parser';
import { encodeAnswerColumns, type AnswerColumns } from './answers';
import { crowdAccuracy, type TruthLabel } from './crowd-accuracy';
import { dawidSkene } from './dawid-skene';
import { majorityVote } from './majority-vote';

// Reference figures: ../shared/data/README.md (MV with ties split fractionally; DS initialised
// by majority vote, first answer kept per (item, worker)).

function readAnswers(path: string, columns: [string, string, string]): AnswerColumns {
  const [header, ...rows] = parseCsv(readFileSync(path, 'utf8'));
  const [ci, cw, cl] = columns.map((c) => header.indexOf(c));
  return { item: rows.map((r) => r[ci]), worker: rows.map((r) => r[cw]), label: rows.map((r) => r[cl]) };
}

function readTruth(path: string): TruthLabel[] {
  const [, ...rows] = parseCsv(readFileSync(path, 'utf8'));
  return rows.map(([item, truth]) => ({ item, truth }));
}

/** temp.standardized.tsv: annotation id, worker id, orig_id (item), response, gold; no quoting. */
function readTemp(path: string): { answers: AnswerColumns; truth: TruthLabel[] } {
  const rows = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').slice(1).map((l) => l.split('\t'));
  const gold = new Map(rows.map((r) => [r[2], r[4]]));
  return {
    answers: { item: rows.map((r) => r[2]), worker: rows.map((r) => r[1]), label: rows.map((r) => r[3]) },
    truth: [...gold].map(([item, truth]) => ({ item, truth })),
  };
}

function encode(answers: AnswerColumns, truth: TruthLabel[]) {
  return encodeAnswerColumns(answers, { items: truth.map((t) => t.item) });
}

// `within` is the tolerance: DS 0.003 on d-possent, 0.005 on the others; MV 0.01.
const sets = [
  { name: 'd-possent', mv: 0.9335, ds: 0.96, dsWithin: 0.003 },
  { name: 'bluebird', mv: 0.7593, ds: 0.8981, dsWithin: 0.005 },
  { name: 'rte', mv: 0.8969, ds: 0.9275, dsWithin: 0.005 },
  { name: 'dog', mv: 0.8222, ds: 0.8426, dsWithin: 0.005 },
];

function checkSet(load: () => { answers: AnswerColumns; truth: TruthLabel[] }, ref: { mv: number; ds: number; dsWithin: number }): void {
  let data: ReturnType<typeof encode>;
  let truth: TruthLabel[];
  beforeAll(() => {
    const loaded = load();
    truth = loaded.truth;
    data = encode(loaded.answers, truth);
  });

  it(`majority vote with ties split fractionally is within 0.01 of ${ref.mv}`, () => {
    expect(Math.abs(crowdAccuracy(majorityVote(data), truth).fractional - ref.mv)).toBeLessThanOrEqual(0.01);
  });

  it('majority vote with the seeded random tie rule averages to the fractional split', () => {
    const fractional = crowdAccuracy(majorityVote(data), truth).fractional;
    let sum = 0;
    const runs = 200;
    for (let seed = 1; seed <= runs; seed++) sum += crowdAccuracy(majorityVote(data, { tieRule: 'random', seed }), truth).hard;
    expect(Math.abs(sum / runs - fractional)).toBeLessThan(0.005);
  });

  it(`Dawid–Skene (MV init, 50 iterations) is within ${ref.dsWithin} of ${ref.ds}`, () => {
    const ds = dawidSkene(data, { maxIterations: 50, tolerance: 0 });
    expect(ds.iterations).toBe(50);
    expect(Math.abs(crowdAccuracy(ds, truth).hard - ref.ds)).toBeLessThanOrEqual(ref.dsWithin);
  });

  it(`Dawid–Skene with the default tolerance converges and is within ${ref.dsWithin} of ${ref.ds}`, () => {
    const ds = dawidSkene(data);
    expect(ds.converged).toBe(true);
    expect(Math.abs(crowdAccuracy(ds, truth).hard - ref.ds)).toBeLessThanOrEqual(ref.dsWithin);
  });
}

for (const set of sets) {
  describeWithData(`crowd reference: ${set.name}`, [`crowd/${set.name}/label.csv`, `crowd/${set.name}/truth.csv`], ([labels, truthPath]) => {
    checkSet(() => ({ answers: readAnswers(labels, ['item', 'worker', 'label']), truth: readTruth(truthPath) }), set);
  });
}

describeWithData('crowd reference: temp', ['crowd/temp/temp.standardized.tsv'], ([path]) => {
  checkSet(() => readTemp(path), { mv: 0.9361, ds: 0.9416, dsWithin: 0.005 });
});

describeWithData('crowd reference: crowdkit-toy', ['crowd/crowdkit-toy/answers.csv', 'crowd/crowdkit-toy/ground_truth.csv'], ([answersPath, truthPath]) => {
  const answers = () => readAnswers(answersPath, ['task', 'worker', 'label']);
  const truth = () => readTruth(truthPath);

  it('Dawid–Skene with 10 iterations returns the ground truth exactly', () => {
    const data = encode(answers(), truth());
    const ds = dawidSkene(data, { maxIterations: 10, tolerance: 0 });
    const byItem = Object.fromEntries(ds.items.map((id, i) => [id, ds.classes[ds.labels[i]]]));
    expect(byItem).toEqual(Object.fromEntries(truth().map((t) => [t.item, t.truth])));
  });

  it('majority vote scores 0.9 with ties split fractionally (t1 is a 2–2 tie), 0.8 with the lowest-index rule', () => {
    const mv = crowdAccuracy(majorityVote(encode(answers(), truth())), truth());
    expect(mv.fractional).toBeCloseTo(0.9, 12);
    expect(mv.ties).toBe(1);
    expect(mv.hard).toBeCloseTo(0.8, 12); // classes sort as ['no', 'yes']: the tie on t1 goes to 'no'
  });
});
