import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { parseCsv } from '../../core/csv/csv-parser';
import { invalid } from '../../core/errors';
import { formatIssue, validateRuleFiles, type RuleFileInput } from '../../core/rejection/rule-validation';
import { parseCli } from '../args';

const HELP = `caveat rules validate [DIR|FILE] [options]
  Validates expert rule files offline (default DIR: rules/): every *.json file holds one rule or
  an array of rules (json-rules-engine rule JSON plus id, sentence, action; see rules/README.md).
  Checks the schema, json-rules-engine's operators, value types per operator, duplicate ids across
  files and, when given, concept and attribute names.
  --concepts FILE     known concept names: one per line (# comments) or a JSON array
  --attributes FILE   known attribute names: one per line, a JSON array, or a .csv file (its header)
Each problem is printed as file:line:column: path: message; then a table and a summary line.
Exit code 0 when every rule is valid, 1 when any is not, 2 on a usage error.
`;

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCli(args, {
    concepts: { type: 'string' },
    attributes: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length > 1) throw invalid('DIR', `give one directory or file, got ${positionals.length}`);
  const target = positionals[0] ?? 'rules';
  const files = readRuleFiles(target);
  if (files.length === 0) {
    process.stderr.write(`caveat: no *.json rule files in ${target}\n`);
    return 1;
  }
  const concepts = values.concepts === undefined ? undefined : readNames(values.concepts, '--concepts');
  const attributes = values.attributes === undefined ? undefined : readNames(values.attributes, '--attributes');
  if (concepts === undefined) process.stderr.write('note: concept names are not checked (no --concepts FILE)\n');

  const result = validateRuleFiles(files, { concepts, attributes });
  for (const issue of result.issues) process.stdout.write(`${formatIssue(issue)}\n`);
  if (result.issues.length > 0) process.stdout.write('\n');
  const width = Math.max(4, ...result.files.map((f) => f.name.length));
  const rows = result.files.map((f) => `${f.name.padEnd(width)}  ${String(f.ruleCount).padStart(5)}  ${String(f.issues.length).padStart(6)}`);
  process.stdout.write(`${'file'.padEnd(width)}  rules  issues\n${rows.join('\n')}\n`);
  const ruleCount = result.files.reduce((s, f) => s + f.ruleCount, 0);
  const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
  process.stdout.write(
    `${plural(files.length, 'file')}, ${plural(ruleCount, 'rule')}: ${plural(result.rules.length, 'valid rule')}, ${plural(result.issues.length, 'issue')}\n`,
  );
  return result.issues.length === 0 ? 0 : 1;
}

/** The *.json files of a directory (sorted, not recursive), or the one file named. */
function readRuleFiles(target: string): RuleFileInput[] {
  let isDir: boolean;
  try {
    isDir = statSync(target).isDirectory();
  } catch {
    throw invalid('DIR', `${target} does not exist`);
  }
  const paths = isDir
    ? readdirSync(target)
        .filter((n) => extname(n).toLowerCase() === '.json')
        .sort()
        .map((n) => join(target, n))
    : [target];
  return paths.map((name) => ({ name, text: readFileSync(name, 'utf8') }));
}

/** Names from a JSON array, a CSV header (.csv) or one name per line (blank lines and # comments skipped). */
function readNames(path: string, flag: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw invalid(flag, `cannot read ${path}`);
  }
  if (extname(path).toLowerCase() === '.csv') {
    const end = text.search(/\r?\n/);
    return parseCsv(end === -1 ? text : text.slice(0, end))[0] ?? [];
  }
  if (text.trimStart().startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw invalid(flag, `${basename(path)} is not valid JSON: ${(e as Error).message}`);
    }
    if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string')) throw invalid(flag, `${basename(path)} must be a JSON array of strings`);
    return parsed;
  }
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}
