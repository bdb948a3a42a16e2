import { jest } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './rules-validate.command';

async function capture(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = jest.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  try {
    return { code: await run(args), out: out.join(''), err: err.join('') };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('caveat rules validate', () => {
  it('finds the shipped example rules valid, concepts and attribute names included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'caveat-attrs-'));
    const attrs = join(dir, 'adult.csv');
    writeFileSync(attrs, 'age,workclass,education,marital-status,occupation,relationship,race,sex,hours-per-week,country,salary,out,class\n39,x\n');
    const r = await capture(['rules', '--concepts', 'rules/concepts.txt', '--attributes', attrs]);
    expect(r.out).toMatch(/3 files, 4 rules: 4 valid rules, 0 issues/);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
  });

  it('prints file:line:column for each problem and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'caveat-rules-'));
    writeFileSync(join(dir, 'a.json'), '[\n  {"id": "a", "sentence": "s", "action": {"type": "reject"},\n   "conditions": {"all": [{"fact": "concept:darkk", "operator": "equal", "value": true}]}}\n]');
    writeFileSync(join(dir, 'concepts.json'), '["dark"]');
    const r = await capture([dir, '--concepts', join(dir, 'concepts.json')]);
    expect(r.code).toBe(1);
    // concepts.json is itself a *.json file in the directory: it is read as rules and refused.
    expect(r.out).toContain(`${join(dir, 'a.json')}:3:36: [0].conditions.all[0].fact: unknown concept 'darkk' (did you mean 'dark'?)`);
    expect(r.out).toContain(`${join(dir, 'concepts.json')}:1:2: [0]: a rule must be an object, got string 'dark'`);
    expect(r.out).toMatch(/2 files, 2 rules: 0 valid rules, 2 issues/);
  });

  it('says when concept names go unchecked', async () => {
    const r = await capture(['rules/adult-missing-occupation.json']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('note: concept names are not checked (no --concepts FILE)\n');
  });
});
