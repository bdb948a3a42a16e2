// Types for the natural sub-modules Caveat imports directly (natural ships types only for its
// index, and importing the index costs ~300 ms at start-up: ../shared/STACK.md).

declare module 'natural/lib/natural/stemmers/porter_stemmer.js' {
  const PorterStemmer: { stem(token: string): string };
  export default PorterStemmer;
}

declare module 'natural/lib/natural/tokenizers/regexp_tokenizer.js' {
  export class WordTokenizer {
    tokenize(text: string): string[];
  }
}

declare module 'natural/lib/natural/distance/jaro-winkler_distance.js' {
  function JaroWinklerDistance(s1: string, s2: string, options?: { ignoreCase?: boolean }): number;
  export default JaroWinklerDistance;
}

declare module 'natural/lib/natural/tfidf/tfidf.js' {
  class TfIdf {
    addDocument(document: string | string[], key?: string): void;
    idf(term: string): number;
  }
  export default TfIdf;
}

declare module 'natural/lib/natural/util/stopwords.js' {
  export const words: string[];
}
