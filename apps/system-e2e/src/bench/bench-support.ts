import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { SKOPEO } from '@stevedore/testing';

/** Shared by every benchmark: timing, medians and the docker CLI against a chosen daemon. */
export const run = promisify(execFile);
export const DOCKER = '/usr/local/bin/docker';
export const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);

/**
 * BENCH_BASELINE names another build's apps directory (e.g. main's dist/apps): the benchmarks that
 * take it run that build's contenders beside this build's, in the same run.
 */
export const BASELINE = process.env['BENCH_BASELINE'];

/** chosen tells whether BENCH_CONTENDERS (comma-separated names) keeps `name`; unset, it keeps all. */
export function chosen(name: string): boolean {
  const names = process.env['BENCH_CONTENDERS']?.split(',');
  return names === undefined || names.includes(name);
}

export const docker = (host: string, ...args: string[]) =>
  run(DOCKER, args, { env: { ...process.env, DOCKER_HOST: host }, maxBuffer: 1 << 24 });

/** tcp turns a topology's http:// URL into the DOCKER_HOST form the CLI takes. */
export const tcp = (url: string) => url.replace(/^http:/, 'tcp:');

export async function timed(action: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await action();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

export const ms = (v: number) => `${v.toFixed(0)} ms`;

/** procKib reads one /proc/<pid>/status field (VmRSS now, VmHWM the peak since the process started), in KiB. */
export async function procKib(pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) : NaN;
}

export const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MB`;

/** procCpuMs reads the CPU time (user + system) process `pid` has used so far, in milliseconds. */
export async function procCpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces: utime is 14th, stime 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** Linux's USER_HZ, the unit of /proc/<pid>/stat times: 100 on every mainstream kernel. */
const CLOCK_TICKS = 100;

/** skopeoPull copies an image into a fresh OCI layout at `layoutDir`: every blob fetched and verified. */
export async function skopeoPull(reference: string, layoutDir: string): Promise<void> {
  await run(SKOPEO, [
    'copy',
    '--quiet',
    '--src-tls-verify=false',
    '--src-no-creds',
    `docker://${reference}`,
    `oci:${layoutDir}:x`,
  ]);
}
