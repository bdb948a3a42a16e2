import { parseCsv } from '../csv/csv-parser';
import { censusDemoRows, demoCsv } from './census-demo';

describe('census demo data', () => {
  const rows = censusDemoRows(20_000, 1);
  const errorRate = (xs: typeof rows) => xs.filter((r) => r.label !== null && r.label !== r.predicted).length / xs.filter((r) => r.label !== null).length;

  it('is reproducible from its seed and differs across seeds', () => {
    expect(censusDemoRows(50, 1)).toEqual(censusDemoRows(50, 1));
    expect(censusDemoRows(50, 2)).not.toEqual(censusDemoRows(50, 1));
  });

  it('plants the three failure regions the walkthrough finds', () => {
    const overall = errorRate(rows);
    const marriedPros = rows.filter((r) => r['marital-status'] === 'Married-civ-spouse' && ['Exec-managerial', 'Prof-specialty'].includes(r.occupation));
    const missingUnsure = rows.filter((r) => r.occupation === '?' && r.confidence < 0.85);
    const moonlighters = rows.filter((r) => r.multipleJobs && r['hours-per-week'] >= 50);
    expect(overall).toBeGreaterThan(0.08);
    expect(overall).toBeLessThan(0.25);
    expect(errorRate(marriedPros)).toBeGreaterThan(overall + 0.1);
    expect(errorRate(missingUnsure)).toBeGreaterThan(0.35);
    expect(errorRate(moonlighters)).toBeGreaterThan(0.4);
  });

  it('writes a CSV that parses back to the same values', () => {
    const some = rows.slice(0, 200);
    const [header, ...records] = parseCsv(demoCsv(some));
    expect(header[0]).toBe('id');
    expect(records).toHaveLength(200);
    expect(records[7][header.indexOf('text')]).toBe(some[7].notes);
    expect(Number(records[7][header.indexOf('confidence')])).toBe(some[7].confidence);
    expect(records.filter((r) => r[header.indexOf('split')] === 'production').every((r) => r[header.indexOf('label')] === '')).toBe(true);
  });
});
