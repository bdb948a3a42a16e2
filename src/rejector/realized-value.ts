import { acceptedValue, type CostPolicy } from '../core/cost/cost-policy';

/**
 * Realized value of one decision once its label is known (DESIGN §1): a rejected item goes to the
 * default path (D); an accepted one is worth V (classValues[ŷ] when set) if the prediction was
 * right, else W (confusionValues[y][ŷ] when set).
 */
export function realizedValue(policy: CostPolicy, predicted: string, label: string, accepted: boolean): number {
  return accepted ? acceptedValue(policy, predicted, label) : policy.D;
}

/** Running totals of a strategy or a group of logged decisions. */
export class ValueTally {
  n = 0;
  accepted = 0;
  /** Accepted items whose prediction was wrong. */
  acceptedWrong = 0;
  total = 0;

  add(policy: CostPolicy, predicted: string, label: string, accepted: boolean, count = 1): void {
    this.n += count;
    this.total += count * realizedValue(policy, predicted, label, accepted);
    if (accepted) {
      this.accepted += count;
      if (predicted !== label) this.acceptedWrong += count;
    }
  }

  /** Mean realized value per item, coverage (share accepted) and selective risk (error rate among the accepted; null when none is). */
  summary() {
    return {
      n: this.n,
      accepted: this.accepted,
      coverage: this.n === 0 ? null : this.accepted / this.n,
      selectiveRisk: this.accepted === 0 ? null : this.acceptedWrong / this.accepted,
      realizedValue: this.n === 0 ? null : this.total / this.n,
      totalValue: this.total,
    };
  }
}
