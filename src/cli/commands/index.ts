/** A CLI command: parses its own arguments, returns the process exit code. */
export interface CliCommand {
  run(args: string[]): Promise<number>;
}

interface Entry {
  summary: string;
  load: () => Promise<CliCommand>;
}

// Lazy imports: loading one command must not pull in another's dependencies.
export const COMMANDS: Record<string, Entry> = {
  'demo data': { summary: 'write a seeded demo prediction CSV for the walkthrough', load: () => import('./demo-data.command.js') },
  serve: { summary: 'run the HTTP service (embedded database unless DATABASE_URL is set)', load: () => import('./serve.command.js') },
  migrate: { summary: 'run pending database migrations', load: () => import('./migrate.command.js') },
  'models list': { summary: 'list registered models', load: () => import('./models-list.command.js') },
  'import predictions': { summary: 'stream an NDJSON or CSV file of predictions into a model', load: () => import('./import-predictions.command.js') },
  thresholds: { summary: 'T*, Tv and value curves (--model NAME, or offline --csv FILE)', load: () => import('./thresholds.command.js') },
  calibrate: { summary: 'calibration metrics and recalibrators (--model NAME, or offline --csv FILE)', load: () => import('./calibrate.command.js') },
  induce: { summary: 'induce "the model fails when…" rules (offline --csv FILE)', load: () => import('./induce.command.js') },
  'crowd aggregate': { summary: 'aggregate crowd labels (offline item,worker,label CSV)', load: () => import('./crowd-aggregate.command.js') },
  'rules validate': { summary: 'validate expert rule files (default: rules/)', load: () => import('./rules-validate.command.js') },
  'rules import': { summary: 'make a draft rule set from a directory of rule files (--model NAME)', load: () => import('./rules-import.command.js') },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  const lines = Object.entries(COMMANDS).map(([name, e]) => `  caveat ${name.padEnd(width)}  ${e.summary}`);
  return `Usage:\n${lines.join('\n')}\n\nRun 'caveat <command> --help' for a command's options.\n`;
}
