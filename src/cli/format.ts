/** Plain-text table and number formatting for CLI output. */

/** Rows as aligned columns: the first left-aligned, the others right-aligned. */
export function formatTable(rows: string[][]): string {
  const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => (r[j] ?? '').length)));
  return rows.map((r) => r.map((cell, j) => (j === 0 ? cell.padEnd(widths[j]) : cell.padStart(widths[j]))).join('  ').trimEnd()).join('\n');
}

export const fixed = (x: number, digits = 4): string => (Number.isFinite(x) ? x.toFixed(digits) : '—');
export const percent = (x: number): string => `${(100 * x).toFixed(1)}%`;
export const count = (x: number): string => x.toLocaleString('en-US');
