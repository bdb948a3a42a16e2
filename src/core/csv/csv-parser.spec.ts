import fc from 'fast-check';
import { CsvParser, parseCsv } from './csv-parser';

describe('parseCsv', () => {
  it.each([
    ['plain', 'a,b\n1,2\n', [['a', 'b'], ['1', '2']]],
    ['no trailing newline', 'a,b\n1,2', [['a', 'b'], ['1', '2']]],
    ['CRLF', 'a,b\r\n1,2\r\n', [['a', 'b'], ['1', '2']]],
    ['quoted comma', 'x,"[1,3]"\n', [['x', '[1,3]']]],
    ['escaped quote', '"say ""hi""",2\n', [['say "hi"', '2']]],
    ['newline inside quotes', '"a\nb",c\n', [['a\nb', 'c']]],
    ['empty fields', ',,\n', [['', '', '']]],
    ['blank lines skipped', 'a\n\n\nb\n', [['a'], ['b']]],
    ['empty quoted field', '"",x\n', [['', 'x']]],
  ])('%s', (_name, text, expected) => {
    expect(parseCsv(text)).toEqual(expected);
  });

  it('throws on an unterminated quote', () => {
    expect(() => parseCsv('a,"b\n')).toThrow(/unterminated/);
  });

  it('reports the line each record starts on', () => {
    const p = new CsvParser();
    const recs = [...p.push('h1,h2\n"multi\nline",2\nz,3\n'), ...p.end()];
    expect(recs.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it('gives the same records however the text is split into chunks', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', ' ') });
    fc.assert(
      fc.property(
        fc.array(fc.array(field, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        (rows, cuts) => {
          const text = rows.map((r) => r.map((f) => `"${f.replace(/"/g, '""')}"`).join(',')).join('\n') + '\n';
          const whole = parseCsv(text);
          expect(whole).toEqual(rows);
          const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const p = new CsvParser();
          const got: string[][] = [];
          let prev = 0;
          for (const c of [...points, text.length]) {
            got.push(...p.push(text.slice(prev, c)).map((r) => r.fields));
            prev = c;
          }
          got.push(...p.end().map((r) => r.fields));
          expect(got).toEqual(whole);
        },
      ),
    );
  });
});
