// Loaded into a measured bot process with --require: writes the event loop's worst delay and the
// highest resident set size seen since the last SIGUSR2, and the resident set size now, to
// EVENT_LOOP_PROBE_FILE ten times a second.
const { monitorEventLoopDelay } = require('node:perf_hooks');
const { renameSync, writeFileSync } = require('node:fs');

const file = process.env.EVENT_LOOP_PROBE_FILE;
if (file) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let maxRssBytes = 0;
  process.on('SIGUSR2', () => {
    delay.reset();
    maxRssBytes = 0;
  });
  setInterval(() => {
    const rssBytes = process.memoryUsage.rss();
    maxRssBytes = Math.max(maxRssBytes, rssBytes);
    const figures = { maxDelayMs: delay.max / 1e6, rssBytes, maxRssBytes };
    // Whole or not at all: the reader never sees a half-written file.
    writeFileSync(`${file}.next`, JSON.stringify(figures));
    renameSync(`${file}.next`, file);
  }, 100).unref();
}
