/** Small helpers shared by the bench scripts: timing, medians, and RSS of a child process. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Peak resident set size (VmHWM) of a live process and its child processes (a clustered
 * service's workers), each at its own peak, summed, in MiB; Linux only.
 */
export function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmHWM:\s+(\d+) kB/.exec(status);
  let mib = m ? Number(m[1]) / 1024 : Number.NaN;
  for (const child of childPids(pid)) mib += peakRssMiB(child);
  return mib;
}

/** The child processes of a live process (a clustered service's workers); Linux only. */
export function childPids(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

/**
 * CPU seconds (user + system) used so far by the process `root` and everything it started, from
 * /proc (Linux): each live process's own time plus the time of its children it has reaped
 * (cutime, cstime). A worker or server backend that exits between two readings moves from the
 * first term to its parent's second, so the difference of two readings counts it once.
 */
export function treeCpuSeconds(root: number): number {
  let ticks = 0;
  const pending = [root];
  for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
    const f = statFields(pid);
    if (f === null) continue; // exited since it was listed
    // utime, stime, cutime, cstime: fields 14 to 17.
    ticks += Number(f[14]) + Number(f[15]) + Number(f[16]) + Number(f[17]);
    pending.push(...childPids(pid));
  }
  return ticks / CLOCK_TICKS;
}
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
  } catch {
    return 100;
  }
})();

/**
 * The fields of /proc/<pid>/stat indexed as proc(5) numbers them (field 1 is the pid), or null
 * once the process has exited. The command name (field 2) may hold spaces: fields are split after it.
 */
function statFields(pid: number | string): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return ['', '', '', ...stat.slice(stat.lastIndexOf(')') + 2).split(' ')];
  } catch {
    return null;
  }
}

/** The processes named `name` whose parent is not (a server's main process, e.g. PostgreSQL's postmaster); Linux only. */
export function rootPidsNamed(name: string): number[] {
  const comm = (pid: string | number): string | null => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      return null;
    }
  };
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d) && comm(d) === name)
    .filter((d) => {
      const parent = statFields(d)?.[4]; // ppid
      return parent !== undefined && comm(parent) !== name;
    })
    .map(Number);
}

export const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/**
 * Starts the built service (dist/src/main.js) as a child process and resolves once it listens.
 * BENCH_SERVICE_NODE_ARGS adds node options for the service alone, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
 * (which NODE_OPTIONS does not allow); BENCH_SERVICE_STDOUT=FILE writes its output there.
 */
export async function startService(main: string, env: Record<string, string>, port: number): Promise<ChildProcess> {
  const nodeArgs = (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, main], { env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr!.on("data", (d) => { log += d; if (process.env.BENCH_SERVICE_STDERR) process.stderr.write(d); });
  await new Promise<void>((res, rej) => {
    child.stdout!.on('data', (d) => {
      if (String(d).includes('Caveat listening')) res();
    });
    child.once('exit', (code) => rej(new Error(`service exited with ${code}: ${log}`)));
  });
  // Keep draining its output so it never blocks on a full pipe; BENCH_SERVICE_STDOUT=FILE keeps it (e.g. with --trace-gc).
  if (process.env.BENCH_SERVICE_STDOUT) child.stdout!.pipe(createWriteStream(process.env.BENCH_SERVICE_STDOUT));
  child.stdout!.resume();
  return child;
}

/** Stops a service started by `startService` (SIGTERM: a clean shutdown) and waits for it to exit. */
export async function stopService(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}
