import BayesClassifier from 'natural/lib/natural/classifiers/bayes_classifier';
import LogisticRegressionClassifier from 'natural/lib/natural/classifiers/logistic_regression_classifier';
import { CaveatError, invalid } from '../errors';
import { permutation, seededRng } from '../random/rng';
import { contentSet, contentStems, prepareText, type PreparedText } from './text-preparation';

/**
 * A concept detected by a classifier trained on crowd-labelled texts (DESIGN §3): natural's
 * naive Bayes or logistic regression over stemmed content words, stored with the precision and
 * recall it reached on a held-out, seeded, stratified split.
 */

export type ClassifierAlgorithm = 'bayes' | 'logistic';

export interface LabelledText {
  text: string;
  present: boolean;
}

/** Held-out confusion counts; precision or recall is null when its denominator is 0. */
export interface DetectorEvaluation {
  trainSize: number;
  testSize: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  precision: number | null;
  recall: number | null;
  holdoutFraction: number;
  seed: number;
}

export interface TextClassifierJson {
  kind: 'classifier';
  concept: string;
  algorithm: ClassifierAlgorithm;
  /** natural's state without its training documents: the feature vocabulary and the fitted classifier. */
  model: { features: Record<string, number>; classifier: Record<string, unknown> };
  evaluation?: DetectorEvaluation;
}

export interface TrainOptions {
  concept: string;
  algorithm?: ClassifierAlgorithm;
  /** Share of each class held out for the evaluation (default 0.25). */
  holdoutFraction?: number;
  seed?: number;
}

const PRESENT = 'present';
const ABSENT = 'absent';
type NaturalClassifier = BayesClassifier | LogisticRegressionClassifier;

export class TextClassifierDetector {
  readonly kind = 'classifier';
  // Feature order is natural's own (for…in over its feature table), so vectors match its textToFeatures.
  private readonly featureList: string[];

  private constructor(
    readonly concept: string,
    readonly algorithm: ClassifierAlgorithm,
    private readonly natural: NaturalClassifier,
    readonly evaluation?: DetectorEvaluation,
  ) {
    this.featureList = Object.keys(natural.features);
  }

  /** Trains on the given labelled texts, content-word stems as features (no evaluation attached). */
  static train(examples: readonly LabelledText[], concept: string, algorithm: ClassifierAlgorithm = 'bayes', evaluation?: DetectorEvaluation): TextClassifierDetector {
    const natural = algorithm === 'bayes' ? new BayesClassifier() : new LogisticRegressionClassifier();
    for (const e of examples) natural.addDocument(contentStems(prepareText(e.text)), e.present ? PRESENT : ABSENT);
    try {
      natural.train();
    } catch (e) {
      // apparatus throws strings ('unable to find minimum').
      throw new CaveatError('unprocessable', `training the '${concept}' classifier failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    return new TextClassifierDetector(concept, algorithm, natural, evaluation);
  }

  /** Equivalent to natural's classify(stems), with a set lookup per feature instead of indexOf. */
  detect(text: PreparedText): boolean {
    const present = contentSet(text);
    const vector = this.featureList.map((f) => (present.has(f) ? 1 : 0));
    return this.natural.classifier.classify(vector) === PRESENT;
  }

  toJSON(): TextClassifierJson {
    const classifier: Record<string, unknown> = { ...(this.natural.classifier as unknown as Record<string, unknown>) };
    // Logistic regression keeps every training vector; the fitted thetas are all it needs.
    delete classifier.examples;
    const json: TextClassifierJson = { kind: 'classifier', concept: this.concept, algorithm: this.algorithm, model: { features: { ...this.natural.features }, classifier: JSON.parse(JSON.stringify(classifier)) } };
    if (this.evaluation) json.evaluation = { ...this.evaluation };
    return json;
  }

  static restore(json: TextClassifierJson): TextClassifierDetector {
    const state = structuredClone({ classifier: json.model.classifier, features: json.model.features, docs: [], lastAdded: 0 });
    const natural = json.algorithm === 'bayes' ? BayesClassifier.restore(state) : LogisticRegressionClassifier.restore(state);
    return new TextClassifierDetector(json.concept, json.algorithm, natural, json.evaluation);
  }
}

/**
 * Trains a detector on a stratified seeded split and measures it on the held-out part
 * (precision = tp/(tp+fp), recall = tp/(tp+fn) for "present"). The stored detector is the one
 * trained on the training part, so the figures describe exactly what is served.
 */
export function trainTextClassifier(examples: readonly LabelledText[], options: TrainOptions): TextClassifierDetector {
  const fraction = options.holdoutFraction ?? 0.25;
  const seed = options.seed ?? 1;
  if (!(fraction > 0 && fraction < 1)) throw invalid('holdoutFraction', 'must lie strictly between 0 and 1');
  const pos = examples.filter((e) => e.present);
  const neg = examples.filter((e) => !e.present);
  if (pos.length < 2 || neg.length < 2) {
    throw new CaveatError('unprocessable', `the '${options.concept}' classifier needs at least 2 texts with the concept and 2 without (got ${pos.length} and ${neg.length})`);
  }
  const rng = seededRng(seed);
  const train: LabelledText[] = [];
  const test: LabelledText[] = [];
  for (const group of [pos, neg]) {
    const order = permutation(group.length, rng);
    const nTest = Math.min(group.length - 1, Math.max(1, Math.round(group.length * fraction)));
    order.forEach((idx, k) => (k < nTest ? test : train).push(group[idx]));
  }
  const trained = TextClassifierDetector.train(train, options.concept, options.algorithm ?? 'bayes');
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (const e of test) {
    const said = trained.detect(prepareText(e.text));
    if (said && e.present) tp++;
    else if (said) fp++;
    else if (e.present) fn++;
    else tn++;
  }
  const evaluation: DetectorEvaluation = {
    trainSize: train.length,
    testSize: test.length,
    tp,
    fp,
    fn,
    tn,
    precision: tp + fp === 0 ? null : tp / (tp + fp),
    recall: tp + fn === 0 ? null : tp / (tp + fn),
    holdoutFraction: fraction,
    seed,
  };
  return TextClassifierDetector.restore({ ...trained.toJSON(), evaluation });
}
