import { CaveatError } from '../core/errors';

/**
 * At most one rule-set state change per model at a time within this process. Taken synchronously
 * on entry, so of two requests that arrive together the second is refused at once (409) whatever
 * the database does; across processes the `FOR NO KEY UPDATE NOWAIT` lock on the model row does the
 * same. Needed because the embedded database runs one transaction at a time: there the second
 * activation would otherwise wait and then succeed, silently replacing the first.
 */
export class ActivationGuard {
  private readonly busy = new Set<string>();

  async run<T>(model: string, work: () => Promise<T>): Promise<T> {
    if (this.busy.has(model)) throw activationConflict(model);
    this.busy.add(model);
    try {
      return await work();
    } finally {
      this.busy.delete(model);
    }
  }
}

export const activationConflict = (model: string): CaveatError =>
  new CaveatError('conflict', `another activation of model '${model}' is in progress; retry once it has finished`, { field: 'version' });
