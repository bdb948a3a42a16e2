export * from './text-normalizer';
export * from './vocabulary-matcher';
export * from './proposal-grouping';
export * from './concept-suggest';
