import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { OwnedProcess } from '../scripts/local/childProcess';
import { loopbackPort } from '../scripts/local/loopbackPort';

const ROOT = join(__dirname, '..');
const PROBE = join(__dirname, 'eventLoopProbe.cjs');
const ALLOCATION_PROFILE = join(__dirname, 'allocationProfile.cjs');
/** A process too busy to answer its probe for this long is reported, not waited on forever. */
const PROBE_WAIT_MS = 30_000;

export interface ProbeFigures {
  maxDelayMs: number;
  /**
   * CPU time (user and system, every thread) used since the probe before: unlike a latency, it
   * barely moves when other processes share the cores.
   */
  cpuMs: number;
  /**
   * The part of cpuMs the main thread used, where Linux tells it: the rest is V8's optimizing
   * compiles and garbage-collector helpers, which a fresh process pays more of.
   */
  mainThreadCpuMs?: number;
  rssBytes: number;
  /** The highest RSS the process ever had (the kernel's count): measure it in a fresh process. */
  maxRssBytes: number;
  /** The heap in use once all garbage is collected: asked with `probe({ collectGarbage: true })`. */
  heapAfterGcBytes?: number;
}

/** A bot started the same way for every measured bot: node, its built entry, the event-loop probe. */
export interface MeasuredProcess {
  origin: string;
  startToReadyMs: number;
  /** Forgets the worst delay seen so far; the next `probe()` covers what happens after. */
  resetProbe(): Promise<void>;
  /** Collecting garbage first changes what follows: ask for it only once a measurement is over. */
  probe(options?: { collectGarbage?: boolean }): Promise<ProbeFigures>;
  stop(): Promise<void>;
}

export async function startMeasured(name: string, script: string, env: Record<string, string>, folder: string): Promise<MeasuredProcess> {
  const probeFile = join(folder, `${name}-probe.json`);
  const port = await loopbackPort(0, name);
  const origin = `http://127.0.0.1:${port}`;
  const started = performance.now();
  // BENCH_CPU_PROF_DIR=<folder>: each measured process writes a CPU profile there when it stops.
  const profile = process.env.BENCH_CPU_PROF_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`, `--cpu-prof-name=${name}.cpuprofile`]
    : [];
  // BENCH_ALLOC_PROF_DIR=<folder>: each also writes there what it allocated, by call path (bench/allocationProfile.cjs).
  const allocations = process.env.BENCH_ALLOC_PROF_DIR
    ? {
        args: ['--require', ALLOCATION_PROFILE],
        env: { ALLOCATION_PROFILE_FILE: join(process.env.BENCH_ALLOC_PROF_DIR, `${name}.heapprofile`) },
      }
    : { args: [], env: {} };
  const child = OwnedProcess.start(name, [...profile, ...allocations.args, '--require', PROBE, join(ROOT, script)], {
    cwd: ROOT,
    logFile: join(folder, `${name}.log`),
    env: { ...process.env, ...env, ...allocations.env, HOST: '127.0.0.1', PORT: String(port), EVENT_LOOP_PROBE_FILE: probeFile },
  });
  for (;;) {
    if (!child.running) throw child.failure('exited while starting');
    try {
      if ((await fetch(`${origin}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    await sleep(10);
  }
  const startToReadyMs = performance.now() - started;
  /** Asks the probe for its figures and waits for them; this starts the probe's next period. */
  const ask = async (options: { collectGarbage?: boolean } = {}): Promise<ProbeFigures> => {
    rmSync(probeFile, { force: true });
    if (options.collectGarbage) writeFileSync(`${probeFile}.gc`, '');
    process.kill(child.pid as number, 'SIGUSR2');
    for (let waited = 0; !existsSync(probeFile); waited += 10) {
      if (waited > PROBE_WAIT_MS) throw child.failure(`did not answer its probe within ${PROBE_WAIT_MS} ms`);
      await sleep(10);
    }
    return JSON.parse(readFileSync(probeFile, 'utf8')) as ProbeFigures;
  };
  return {
    origin,
    startToReadyMs,
    async resetProbe() {
      await ask();
    },
    probe: ask,
    // Long enough for a graceful stop to end what runs and write its CPU profile.
    stop: () => child.stop(30_000),
  };
}

/** The q-th quantile (0–1) of the figures, nearest rank. */
export function quantile(figures: readonly number[], q: number): number {
  const sorted = [...figures].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}
