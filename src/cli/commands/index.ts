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
  serve: { summary: 'run the HTTP service', load: () => import('./serve.command.js') },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  const lines = Object.entries(COMMANDS).map(([name, e]) => `  caveat ${name.padEnd(width)}  ${e.summary}`);
  return `Usage:\n${lines.join('\n')}\n\nRun 'caveat <command> --help' for a command's options.\n`;
}
