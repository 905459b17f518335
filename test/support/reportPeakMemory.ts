import { writeFileSync } from 'node:fs';

/**
 * Loaded with `--import` before a program: when the process ends, its peak resident set size
 * (bytes, from getrusage) is written to the file PEAK_MEMORY_FILE names, so a test can hold a
 * program's memory to a bound without touching the program.
 */
const file = process.env.PEAK_MEMORY_FILE;
if (file) {
  process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS * 1024)));
}
