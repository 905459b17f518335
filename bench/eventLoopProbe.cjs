// Loaded into a measured bot process with --require. On SIGUSR2 it writes to EVENT_LOOP_PROBE_FILE
// the event loop's worst delay and the CPU time used since the signal before (all threads, and
// the main thread alone where Linux tells it), the resident set size now and the highest the
// process ever had, then starts a new period. It does nothing between signals, so it adds no work
// of its own to the loop it measures. When <file>.gc exists at the signal, it also collects all
// garbage first and reports the heap still in use: what the process holds.
const { monitorEventLoopDelay } = require('node:perf_hooks');
const { existsSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { setFlagsFromString } = require('node:v8');
const { runInNewContext } = require('node:vm');

// The bot runs without --expose-gc, as in production: the probe alone gets the collector.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc');

const file = process.env.EVENT_LOOP_PROBE_FILE;

/**
 * The main thread's time on a CPU, in ms, from Linux's scheduler statistics (undefined elsewhere).
 * What the process spends beyond it runs on V8's own threads: optimizing compiles of code that
 * became hot, and the helpers of the garbage collector.
 */
function mainThreadCpuMs() {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return undefined;
  }
}

if (file) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let cpuBefore = process.cpuUsage();
  let mainBefore = mainThreadCpuMs();
  process.on('SIGUSR2', () => {
    const cpu = process.cpuUsage(cpuBefore);
    const main = mainThreadCpuMs();
    const figures = {
      maxDelayMs: delay.max / 1e6,
      cpuMs: (cpu.user + cpu.system) / 1000,
      mainThreadCpuMs: main === undefined || mainBefore === undefined ? undefined : main - mainBefore,
      rssBytes: process.memoryUsage.rss(),
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
    };
    if (existsSync(`${file}.gc`)) {
      rmSync(`${file}.gc`);
      // Twice: what the first collection frees can let go of more.
      collectGarbage();
      collectGarbage();
      figures.heapAfterGcBytes = process.memoryUsage().heapUsed;
    }
    delay.reset();
    cpuBefore = process.cpuUsage();
    mainBefore = mainThreadCpuMs();
    // Whole or not at all: the reader never sees a half-written file.
    writeFileSync(`${file}.next`, JSON.stringify(figures));
    renameSync(`${file}.next`, file);
  });
}
