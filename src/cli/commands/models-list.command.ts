import { CaveatError } from '../../core/errors';

// Placeholder until this command is implemented; it says so instead of pretending.
export async function run(): Promise<number> {
  throw new CaveatError('internal', 'models-list is not implemented yet');
}
