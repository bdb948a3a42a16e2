/** A one-line progress bar on stderr (only when stderr is a terminal, or when forced). */
export class ProgressBar {
  private last = 0;
  private readonly t0 = performance.now();
  constructor(
    private readonly total: number | undefined,
    private readonly enabled = Boolean(process.stderr.isTTY),
  ) {}

  update(done: number, rows: number): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (now - this.last < 100) return;
    this.last = now;
    const secs = (now - this.t0) / 1000;
    const rate = secs > 0 ? Math.round(rows / secs) : 0;
    const width = 30;
    const frac = this.total ? Math.min(1, done / this.total) : 0;
    const bar = this.total ? `[${'#'.repeat(Math.round(frac * width)).padEnd(width)}] ${(frac * 100).toFixed(0).padStart(3)}% ` : '';
    process.stderr.write(`\r${bar}${rows.toLocaleString('en-US')} rows  ${rate.toLocaleString('en-US')} rows/s   `);
  }

  done(): void {
    if (this.enabled) process.stderr.write('\r\x1b[K');
  }
}
