import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm run e2e:soak`: the Playground end-to-end flow (request in one Playground, approval in the
 * other, every card ending on "Created") run SOAK_RUNS times in a row (20 by default), each in a
 * fresh stack, while SOAK_BUSY processes (2 by default) keep the CPU busy. Too slow for `npm test`.
 * Each run's output is kept in test-results/e2e-soak/; the summary says which runs failed and why.
 */

const ROOT = join(__dirname, '..', '..');
const FLOW = 'a group asked for in one Playground and approved in the other';
const runs = Number(process.env.SOAK_RUNS ?? 20);
const busy = Number(process.env.SOAK_BUSY ?? 2);
const folder = join(ROOT, 'test-results', 'e2e-soak');

/** A process spinning forever on one core; stopped by its pid when the soak ends. */
function busyProcess() {
  return spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
}

function runFlow(): Promise<{ passed: boolean; output: string }> {
  return new Promise((resolve) => {
    const jest = spawn(
      process.execPath,
      [join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), 'test/e2e/playground.e2e.test.ts', '-t', FLOW],
      {
        cwd: ROOT,
        env: process.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    jest.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    jest.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    jest.once('exit', (code) => resolve({ passed: code === 0, output }));
  });
}

/** The first failure jest reports, in a line. */
function why(output: string): string {
  const lines = output.split('\n');
  const start = lines.findIndex((line) => line.includes('●') && !line.includes('skipped'));
  return start < 0
    ? lines.slice(-5).join(' ').trim()
    : lines
        .slice(start, start + 6)
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim();
}

async function main(): Promise<void> {
  mkdirSync(folder, { recursive: true });
  const loads = Array.from({ length: busy }, busyProcess);
  const failures: string[] = [];
  try {
    for (let run = 1; run <= runs; run++) {
      const started = Date.now();
      const { passed, output } = await runFlow();
      writeFileSync(join(folder, `run-${run}.log`), output);
      const seconds = Math.round((Date.now() - started) / 1000);
      if (!passed) failures.push(`run ${run}: ${why(output)}`);
      process.stdout.write(`run ${run}/${runs}: ${passed ? 'passed' : 'FAILED'} (${seconds} s)\n`);
    }
  } finally {
    for (const load of loads) if (load.pid) process.kill(load.pid);
  }
  process.stdout.write(`\n${runs - failures.length} of ${runs} runs passed with ${busy} busy processes.\n${failures.join('\n')}\n`);
  process.exitCode = failures.length ? 1 : 0;
}

void main();
