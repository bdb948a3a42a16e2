// Types for the natural sub-modules Caveat imports directly: natural ships types only for its
// index and per-folder indexes, and loading the index costs ~300 ms (../shared/STACK.md).
declare module 'natural/lib/natural/stemmers/porter_stemmer' {
  import type { Stemmer } from 'natural/lib/natural/stemmers';
  const PorterStemmer: Stemmer;
  export = PorterStemmer;
}

declare module 'natural/lib/natural/tokenizers/regexp_tokenizer' {
  export { WordTokenizer } from 'natural/lib/natural/tokenizers';
}

declare module 'natural/lib/natural/util/stopwords' {
  export const words: string[];
}

declare module 'natural/lib/natural/classifiers/bayes_classifier' {
  import { BayesClassifier } from 'natural/lib/natural/classifiers';
  export = BayesClassifier;
}

declare module 'natural/lib/natural/classifiers/logistic_regression_classifier' {
  import { LogisticRegressionClassifier } from 'natural/lib/natural/classifiers';
  export = LogisticRegressionClassifier;
}
