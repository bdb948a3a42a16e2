export * from './sampled-item';
export * from './allocation';
export * from './stratified-sampling';
export * from './horvitz-thompson';
export * from './discovery-search';
