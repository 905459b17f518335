// Loaded into a measured bot process with --require. On SIGUSR2 it writes to EVENT_LOOP_PROBE_FILE
// the event loop's worst delay and the CPU time used since the signal before, the resident set
// size now and the highest the process ever had, then starts a new period. It does nothing
// between signals, so it adds no work of its own to the loop it measures. When <file>.gc exists at the signal, it
// also collects all garbage first and reports the heap still in use: what the process holds.
const { monitorEventLoopDelay } = require('node:perf_hooks');
const { existsSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { setFlagsFromString } = require('node:v8');
const { runInNewContext } = require('node:vm');

// The bot runs without --expose-gc, as in production: the probe alone gets the collector.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc');

const file = process.env.EVENT_LOOP_PROBE_FILE;
if (file) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let cpuBefore = process.cpuUsage();
  process.on('SIGUSR2', () => {
    const cpu = process.cpuUsage(cpuBefore);
    const figures = {
      maxDelayMs: delay.max / 1e6,
      cpuMs: (cpu.user + cpu.system) / 1000,
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
    // Whole or not at all: the reader never sees a half-written file.
    writeFileSync(`${file}.next`, JSON.stringify(figures));
    renameSync(`${file}.next`, file);
  });
}
