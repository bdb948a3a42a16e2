import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { CaveatError, invalid } from '../../core/errors';
import type { RuleFileInput } from '../../core/rejection/rule-validation';
import type { ImportedRuleSet } from '../../rule-sets/rule-sets.service';
import { parseCli, required } from '../args';
import { callApi } from '../http-client';
import type { LocalServices } from '../local-services';
import { withService } from '../service-access';

const HELP = `caveat rules import DIR --model NAME [--url URL]
  Makes a draft rule set (source expert) for the model from the *.json rule files of DIR
  (one rule or an array of rules per file; see rules/README.md). The files are validated
  like 'caveat rules validate', and concept names against the model's concepts when it has any.
  --model NAME   the model the draft belongs to
  --url URL      send to a running server instead of writing the local database
Prints the new version and its rule count, or every problem as file:line:column: path: message.
Exit code 0 on success, 1 when the files have problems, 2 on a usage error.
Then: POST /models/NAME/rule-sets/VERSION/activate (or /shadow) publishes it.
`;

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCli(args, {
    model: { type: 'string' },
    url: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw invalid('DIR', `give one directory of rule files, got ${positionals.length} arguments`);
  const model = required(values, 'model');
  const files = readRuleDir(positionals[0]);
  let imported: ImportedRuleSet;
  try {
    imported = await withService(values.url, (url) => viaServer(url, model, files), (local) => locally(local, model, files));
  } catch (e) {
    const issues = e instanceof CaveatError ? (e.details.issues as FileIssue[] | undefined) : undefined;
    if (!issues) throw e;
    for (const i of issues) process.stderr.write(`${i.file}${i.line === undefined ? '' : `:${i.line}:${i.column}`}: ${i.path}: ${i.message}\n`);
    process.stderr.write(`caveat: no draft made: ${issues.length} issue${issues.length === 1 ? '' : 's'} in the rule files\n`);
    return 1;
  }
  const width = Math.max(4, ...imported.files.map((f) => f.name.length));
  process.stdout.write(`${'file'.padEnd(width)}  rules\n`);
  for (const f of imported.files) process.stdout.write(`${f.name.padEnd(width)}  ${String(f.ruleCount).padStart(5)}\n`);
  process.stdout.write(`draft version ${imported.version} of '${imported.model}': ${imported.ruleCount} rule${imported.ruleCount === 1 ? '' : 's'} (source expert)\n`);
  if (!imported.conceptsChecked) process.stdout.write('note: the model has no concept vocabulary yet; concept names were not checked\n');
  return 0;
}

interface FileIssue {
  file?: string;
  line?: number;
  column?: number;
  path: string;
  message: string;
}

function viaServer(url: string, model: string, files: RuleFileInput[]): Promise<ImportedRuleSet> {
  return callApi<ImportedRuleSet>(url, 'POST', `models/${encodeURIComponent(model)}/rule-sets/import`, { json: { files } });
}

async function locally(local: LocalServices, model: string, files: RuleFileInput[]): Promise<ImportedRuleSet> {
  // Loaded only here: the --url path needs neither the database nor NestJS.
  const [{ RuleSetsService }, { RuleSetStore }, { RuleSetEvents }] = await Promise.all([
    import('../../rule-sets/rule-sets.service.js'),
    import('../../rule-sets/rule-set-store.js'),
    import('../../rule-sets/rule-set-events.js'),
  ]);
  const service = new RuleSetsService(local.db, local.models, new RuleSetStore(local.db), new RuleSetEvents());
  return service.importFiles(model, files);
}

/** The *.json files of a directory, sorted, as {name, text} (names keep DIR so messages point at the files). */
function readRuleDir(dir: string): RuleFileInput[] {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw invalid('DIR', `${dir} is not a directory`);
    names = readdirSync(dir);
  } catch (e) {
    if (e instanceof CaveatError) throw e;
    throw invalid('DIR', `${dir} does not exist`);
  }
  const files = names
    .filter((n) => extname(n).toLowerCase() === '.json')
    .sort()
    .map((n) => ({ name: join(dir, n), text: readFileSync(join(dir, n), 'utf8') }));
  if (files.length === 0) throw invalid('DIR', `no *.json rule files in ${dir}`);
  return files;
}
