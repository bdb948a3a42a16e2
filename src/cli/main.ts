#!/usr/bin/env node
/**
 * The `caveat` command. Each sub-command lives in its own module and is imported only
 * when called, so offline commands (induce, calibrate --csv, crowd aggregate) start fast
 * and never load NestJS, the database or natural's whole index.
 */
import { COMMANDS, usage } from './commands';

async function main(argv: string[]): Promise<number> {
  const [first, second] = argv;
  if (!first || first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(usage());
    return first ? 0 : 2;
  }
  const twoWord = second ? COMMANDS[`${first} ${second}`] : undefined;
  const entry = twoWord ?? COMMANDS[first];
  if (!entry) {
    process.stderr.write(`caveat: unknown command '${argv.slice(0, 2).join(' ')}'\n\n${usage()}`);
    return 2;
  }
  const rest = argv.slice(twoWord ? 2 : 1);
  const mod = await entry.load();
  return mod.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const e = err as { code?: string; message?: string };
    process.stderr.write(`caveat: ${e?.message ?? String(err)}\n`);
    process.exitCode = e?.code === 'invalid_input' || e?.code === 'malformed_body' ? 2 : 1;
  },
);
