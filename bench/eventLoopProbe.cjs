// Loaded into a measured bot process with --require: writes the event loop's worst delay since
// the last SIGUSR2, and the resident set size, to EVENT_LOOP_PROBE_FILE ten times a second.
const { monitorEventLoopDelay } = require('node:perf_hooks');
const { renameSync, writeFileSync } = require('node:fs');

const file = process.env.EVENT_LOOP_PROBE_FILE;
if (file) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  process.on('SIGUSR2', () => delay.reset());
  setInterval(() => {
    const figures = { maxDelayMs: delay.max / 1e6, rssBytes: process.memoryUsage().rss };
    // Whole or not at all: the reader never sees a half-written file.
    writeFileSync(`${file}.next`, JSON.stringify(figures));
    renameSync(`${file}.next`, file);
  }, 100).unref();
}
