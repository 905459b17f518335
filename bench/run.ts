import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/**
 * Runs every bench/<name>.bench.ts that exports `async function run(flags): Promise<void>`, or
 * only the ones named: `npm run bench -- rules store`. Arguments starting with `--` go to every
 * benchmark run (`npm run bench -- bot --quick`). Benchmarks print figures; nothing here asserts.
 */

interface Benchmark {
  run(flags: readonly string[]): Promise<void>;
}

const SUFFIX = '.bench.ts';

function available(): string[] {
  return readdirSync(__dirname)
    .filter((file) => file.endsWith(SUFFIX))
    .map((file) => file.slice(0, -SUFFIX.length))
    .sort();
}

function isBenchmark(module: unknown): module is Benchmark {
  return module !== null && typeof module === 'object' && typeof (module as { run?: unknown }).run === 'function';
}

async function main(args: string[]): Promise<number> {
  const flags = args.filter((arg) => arg.startsWith('--'));
  const requested = args.filter((arg) => !arg.startsWith('--'));
  const names = available();
  const unknown = requested.filter((name) => !names.includes(name));
  if (unknown.length > 0) {
    process.stderr.write(`No benchmark named ${unknown.join(', ')}. Available: ${names.join(', ')}.\n`);
    return 2;
  }
  let failures = 0;
  for (const name of requested.length > 0 ? requested : names) {
    process.stdout.write(`\n== ${name} ==\n`);
    const started = performance.now();
    try {
      const module: unknown = await import(join(__dirname, `${name}${SUFFIX}`));
      if (!isBenchmark(module)) throw new Error(`${name}${SUFFIX} does not export async function run().`);
      await module.run(flags);
      process.stdout.write(`(${name}: ${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
    } catch (error) {
      failures++;
      process.stderr.write(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
  }
  return failures === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
