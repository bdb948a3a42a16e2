/**
 * One item chosen for annotation, with how it was chosen. `pi` is its inclusion probability under
 * the design (DESIGN §3) and `weight` = 1/π its design weight; discovery items have neither: they
 * were chosen adaptively to find failures, so they speed discovery but cannot estimate rates.
 */
export interface SampledItem {
  /** Index of the item in the caller's array. */
  index: number;
  /** Stratum (stratified design) or partition (discovery) the item came from. */
  stratum: string;
  design: 'stratified' | 'discovery';
  pi: number | null;
  weight: number | null;
  discoveryOnly: boolean;
}
