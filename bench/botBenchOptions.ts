/**
 * What `npm run bench -- bot` measures. Every part by default; `--parts=bursts,stores` picks
 * some, and `--quick` measures each chosen part on smaller sizes (a few minutes in all).
 */

export const BOT_BENCH_PARTS = ['start', 'bursts', 'stores', 'memory', 'large'] as const;
export type BotBenchPart = (typeof BOT_BENCH_PARTS)[number];

export interface BotBenchOptions {
  parts: ReadonlySet<BotBenchPart>;
  /** Graph latencies of the 50-approval bursts. */
  latencies: number[];
  /** Stored requests (half open) in front of the one-at-a-time submissions and approvals. */
  sqliteSizes: number[];
  tableSizes: number[];
  /** Filling a store stops after this long, and the figures are taken at what it holds then. */
  fillBudgetMs: number;
  /** Submissions over which the highest RSS is taken. */
  memorySubmissions: number;
  /** Members of the large groups whose creation is timed. */
  groupSizes: number[];
}

export const BOT_BENCH_USAGE =
  `npm run bench -- bot [--quick] [--parts=${BOT_BENCH_PARTS.join(',')}] [--latencies=0,25,300]\n` +
  '  --quick   smaller sizes: stores of 100 and 10,000 (Azure Tables 100), bursts at 0 and 300 ms, 1,000 submissions, a group of 1,000\n' +
  '  --parts   only these parts (start is always measured: the echo bot is the yardstick of the others)\n' +
  '  --latencies  the Graph latencies of the approval bursts, in ms';

function isPart(name: string): name is BotBenchPart {
  return (BOT_BENCH_PARTS as readonly string[]).includes(name);
}

export function botBenchOptions(flags: readonly string[]): BotBenchOptions {
  let quick = false;
  let parts = new Set<BotBenchPart>(BOT_BENCH_PARTS);
  let latencies: number[] | undefined;
  for (const flag of flags) {
    if (flag === '--quick') {
      quick = true;
    } else if (flag.startsWith('--parts=')) {
      const named = flag.slice('--parts='.length).split(',').filter(Boolean);
      const unknown = named.filter((name) => !isPart(name));
      if (unknown.length) throw new Error(`No part named ${unknown.join(', ')}.\n${BOT_BENCH_USAGE}`);
      parts = new Set(['start', ...named.filter(isPart)]);
    } else if (flag.startsWith('--latencies=')) {
      latencies = flag.slice('--latencies='.length).split(',').map(Number);
      if (latencies.some((ms) => !Number.isInteger(ms) || ms < 0)) throw new Error(`${flag}: give whole milliseconds.\n${BOT_BENCH_USAGE}`);
    } else {
      throw new Error(`Unknown option ${flag}.\n${BOT_BENCH_USAGE}`);
    }
  }
  const chosen: BotBenchOptions = quick
    ? {
        parts,
        latencies: [0, 300],
        sqliteSizes: [100, 10_000],
        tableSizes: [100],
        fillBudgetMs: 60_000,
        memorySubmissions: 1_000,
        groupSizes: [1_000],
      }
    : {
        parts,
        latencies: [0, 25, 300],
        sqliteSizes: [100, 10_000, 100_000],
        tableSizes: [100, 10_000, 100_000],
        fillBudgetMs: 1_200_000,
        memorySubmissions: 5_000,
        groupSizes: [1_000, 10_000],
      };
  return latencies ? { ...chosen, latencies } : chosen;
}
