import BayesClassifier from 'natural/lib/natural/classifiers/bayes_classifier';
import { seededRng } from '../random/rng';
import { TextClassifierDetector, trainTextClassifier, type LabelledText } from './text-classifier';
import { restoreTextDetector, textDetectors } from './text-detectors';
import { contentStems, prepareText } from './text-preparation';

// Labelled texts where the concept "dark" is told apart by its own words, with shared filler.
function corpus(n: number, seed: number): LabelledText[] {
  const rng = seededRng(seed);
  const pick = (xs: string[]): string => xs[rng.int(xs.length)];
  const darkWords = ['dark', 'dim', 'shadowy', 'gloomy', 'murky'];
  const brightWords = ['bright', 'sunny', 'vivid', 'radiant', 'glaring'];
  const filler = ['photo of a cat', 'picture of the street', 'shot of a car', 'image of two people', 'snapshot of a dog'];
  return Array.from({ length: n }, (_, i) => {
    const present = i % 2 === 0;
    return { text: `A ${pick(present ? darkWords : brightWords)} ${pick(filler)}, quite ${pick(present ? darkWords : brightWords)}`, present };
  });
}

describe.each(['bayes', 'logistic'] as const)('trainTextClassifier (%s)', (algorithm) => {
  const data = corpus(40, 7);
  const detector = trainTextClassifier(data, { concept: 'dark', algorithm, seed: 3 });

  it('holds out a quarter of each class: 5 + 5 of 20 + 20', () => {
    expect(detector.evaluation).toMatchObject({ trainSize: 30, testSize: 10, holdoutFraction: 0.25, seed: 3 });
    const e = detector.evaluation!;
    expect(e.tp + e.fn).toBe(5);
    expect(e.fp + e.tn).toBe(5);
  });

  it('separates texts whose concept words it has seen: precision and recall 1 on held-out texts', () => {
    expect(detector.evaluation).toMatchObject({ tp: 5, fp: 0, fn: 0, tn: 5, precision: 1, recall: 1 });
  });

  it.each([
    ['a new sentence with a concept word', 'such a gloomy evening', true],
    ['a new sentence with an opposite word', 'what a sunny day', false],
  ])('classifies %s', (_name, text, expected) => {
    expect(detector.detect(prepareText(text))).toBe(expected);
  });

  it('round-trips through JSON without its training texts and answers the same', () => {
    const json = JSON.parse(JSON.stringify(detector.toJSON()));
    expect(JSON.stringify(json)).not.toContain('quite'); // no training document is stored
    expect(json.model.classifier.examples).toBeUndefined();
    const back = restoreTextDetector(json);
    expect(back).toBeInstanceOf(TextClassifierDetector);
    expect((back as TextClassifierDetector).evaluation).toEqual(detector.evaluation);
    for (const e of corpus(30, 99)) expect(back.detect(prepareText(e.text))).toBe(detector.detect(prepareText(e.text)));
  });

  it('gives the same split and figures for the same seed', () => {
    expect(trainTextClassifier(data, { concept: 'dark', algorithm, seed: 3 }).evaluation).toEqual(detector.evaluation);
  });
});

describe('TextClassifierDetector', () => {
  it("answers as natural's own classify on the same stems", () => {
    const data = corpus(30, 11);
    const mine = TextClassifierDetector.train(data, 'dark', 'bayes');
    const theirs = new BayesClassifier();
    for (const e of data) theirs.addDocument(contentStems(prepareText(e.text)), e.present ? 'present' : 'absent');
    theirs.train();
    for (const e of corpus(40, 5)) {
      const p = prepareText(e.text);
      expect(mine.detect(p)).toBe(theirs.classify(contentStems(p)) === 'present');
    }
  });

  it('reports no precision when it never says "present"', () => {
    const data: LabelledText[] = [
      { text: 'alpha', present: true },
      { text: 'beta', present: true },
      { text: 'gamma', present: false },
      { text: 'delta', present: false },
      { text: 'epsilon', present: false },
      { text: 'zeta', present: false },
    ];
    // Held-out words were never seen, so naive Bayes falls back to the prior: "absent" (4 vs 2).
    const e = trainTextClassifier(data, { concept: 'x', holdoutFraction: 0.5, seed: 1 }).evaluation!;
    expect(e.tp + e.fp).toBe(0);
    expect(e.precision).toBeNull();
    expect(e.recall).toBe(0);
  });

  it('needs two texts of each class', () => {
    const one = [{ text: 'a', present: true }, { text: 'b', present: false }, { text: 'c', present: false }];
    expect(() => trainTextClassifier(one, { concept: 'x' })).toThrow(expect.objectContaining({ code: 'unprocessable' }));
  });

  it('plugs into the rejector form with one shared text preparation', () => {
    const t = textDetectors([TextClassifierDetector.train(corpus(20, 2), 'dark')]);
    expect(t.detectors[0].detect(t.prepare('a murky picture'))).toBe(true);
  });
});
