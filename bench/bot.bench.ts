import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadFixture } from '../src/dev/graphEmulator';
import { startLocalDirectory, type LocalDirectory } from '../src/dev/localDirectory';
import type { RequestStoreOptions } from '../src/storage/openRequestStore';
import { startAzuriteTables } from '../test/support/azuriteTables';
import { APPROVALS_CHANNEL } from '../test/support/botUnderTest';
import { TeamsChannel, type Conversation } from '../test/support/teamsChannel';
import { botBenchOptions, type BotBenchOptions, type BotBenchPart } from './botBenchOptions';
import { approvalCard, approve, approver, botEnv, byKind, connect, requester, submit, useForApprovals } from './botDriver';
import { quantile, startMeasured, timed, type MeasuredProcess, type ProbeFigures } from './measuredProcess';
import { seedStore } from './storeSeeding';

/**
 * The bot as a whole, next to an echo bot of the same stack (bench/echoBot.ts) in the same run:
 * start to ready, idle RSS, bursts of 50 concurrent approvals at several Graph latencies with
 * Graph's round trips and the event loop's worst delay, submissions and approvals against stores
 * of growing size, the highest RSS over thousands of submissions, and the creation of large
 * groups. Both are built first and run as production runs the bot: `node dist/<entry>.js`.
 * Options: bench/botBenchOptions.ts (`npm run bench -- bot --quick`).
 */

const BOT_ENTRY = 'dist/src/index.js';
const ECHO_ENTRY = 'dist/bench/echoBot.js';

const BURST = 50;
const SAMPLES = 25;
/** Unmeasured submissions and approvals before each store's measured ones. */
const WARM_UP = 5;
/** Submissions in flight at once while memory is measured, spread over this many chats (Teams paces each chat). */
const SUBMITTERS = 8;
const CHATS = 250;

const ms = (value: number) => `${value.toFixed(0).padStart(5)} ms`;
const ratio = (bot: number, echo: number) => `×${(bot / echo).toFixed(1)}`;
const perClick = (cpuMs: number) => `${(cpuMs / BURST).toFixed(1)} ms`;
const onMainThread = (cpuMs: number | undefined) => (cpuMs === undefined ? '' : ` (${perClick(cpuMs)} on the main thread)`);
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const spread = (figures: number[]) =>
  `p50 ${ms(quantile(figures, 0.5))} p95 ${ms(quantile(figures, 0.95))} p99 ${ms(quantile(figures, 0.99))}`;
const count = (value: number) => value.toLocaleString('en');

interface Bench {
  directory: LocalDirectory;
  folder: string;
  options: BotBenchOptions;
  processes: number;
}

async function startBot(bench: Bench, store: RequestStoreOptions, directory = bench.directory): Promise<MeasuredProcess> {
  return startMeasured(`bot-${++bench.processes}`, BOT_ENTRY, botEnv(directory, store), bench.folder);
}

const sqlite = (bench: Bench, name: string): RequestStoreOptions => ({ kind: 'sqlite', path: join(bench.folder, `${name}.sqlite`) });

/** The echo bot's figures at rest and one invoke at a time, the yardstick of start, memory and store ratios. */
interface Yardstick {
  startToReadyMs: number;
  idle: ProbeFigures;
  single: number[];
}

interface Burst {
  invokes: number[];
  maxDelayMs: number;
  /** The bot's CPU time from the first click until all its work for the burst was done. */
  cpuMs: number;
}

async function echoBurst(bot: MeasuredProcess, teams: TeamsChannel): Promise<Burst> {
  await bot.resetProbe();
  const clicks = await Promise.all(
    Array.from({ length: BURST }, (_, i) =>
      timed(() => teams.click(approver, APPROVALS_CHANNEL, `card-${i}`, 'approveRequest', { requestId: String(i) })),
    ),
  );
  const { maxDelayMs, cpuMs } = await bot.probe();
  return { invokes: clicks.map((click) => click.ms), maxDelayMs, cpuMs };
}

/** An echo bot that has answered SAMPLES invokes one at a time, as the bot has answered submissions before its first burst. */
interface WarmedEcho {
  echo: MeasuredProcess;
  teams: TeamsChannel;
  idle: ProbeFigures;
  single: number[];
  stop(): Promise<void>;
}

async function startEcho(bench: Bench, name: string): Promise<WarmedEcho> {
  const echo = await startMeasured(name, ECHO_ENTRY, {}, bench.folder);
  const teams = new TeamsChannel(echo.origin);
  const stop = async () => {
    await echo.stop();
    await teams.stop();
  };
  try {
    await sleep(2000);
    const idle = await echo.probe();
    await teams.start();
    const single: number[] = [];
    for (let i = 0; i < SAMPLES; i++)
      single.push((await timed(() => teams.click(approver, APPROVALS_CHANNEL, 'card', 'approveRequest', {}))).ms);
    return { echo, teams, idle, single, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function measureEcho(bench: Bench): Promise<Yardstick> {
  const { echo, idle, single, stop } = await startEcho(bench, 'echo');
  await stop();
  return { startToReadyMs: echo.startToReadyMs, idle, single };
}

async function startFigures(bench: Bench, echo: Yardstick): Promise<void> {
  const bot = await startBot(bench, sqlite(bench, 'idle'));
  let idle: ProbeFigures;
  try {
    await sleep(2000);
    idle = await bot.probe();
  } finally {
    await bot.stop();
  }
  console.log('Start and memory (both as node dist/<entry>.js):');
  console.log(
    `  start to ready   bot ${ms(bot.startToReadyMs)}   echo ${ms(echo.startToReadyMs)}   ${ratio(bot.startToReadyMs, echo.startToReadyMs)}`,
  );
  console.log(
    `  idle RSS         bot ${mib(idle.rssBytes).padStart(8)}   echo ${mib(echo.idle.rssBytes).padStart(8)}   ${ratio(idle.rssBytes, echo.idle.rssBytes)}`,
  );
  console.log(`  one invoke at a time, echo bot: ${spread(echo.single)}`);
}

interface ApprovalBurst extends Burst {
  allGroupsMs: number;
  roundTrips: number;
  kinds: string;
  /** The bot's CPU time from the first click until the last was answered. */
  answersCpuMs: number;
  /** The part of answersCpuMs its main thread used (Linux only). */
  answersMainThreadCpuMs?: number;
}

/** 50 approvals clicked at once; the groups are waited for and Graph's log counted. */
async function approvalBurst(
  bench: Bench,
  bot: MeasuredProcess,
  teams: TeamsChannel,
  label: string,
  latencyMs: number,
): Promise<ApprovalBurst> {
  const controls = bench.directory.graph.controls;
  const names = Array.from({ length: BURST }, (_, i) => `Burst ${label} ${i}`);
  // A channel and a requester chat of its own: Teams paces each conversation, and the last burst's messages are still going out.
  const channel: Conversation = { id: `19:burst-${label.replace(/ /g, '-')}@thread.tacv2`, conversationType: 'channel' };
  const chat: Conversation = { id: `a:burst-${label.replace(/ /g, '-')}`, conversationType: 'personal' };
  await useForApprovals(teams, channel);
  const ids: string[] = [];
  for (const name of names) ids.push((await submit(teams, name, { conversation: chat })).id);
  const cards = await Promise.all(ids.map((id) => approvalCard(teams, id, channel)));
  await controls.setLatency(latencyMs);
  await controls.clearRequests();
  await bot.resetProbe();
  const started = performance.now();
  const clicks = await Promise.all(ids.map((id, i) => approve(teams, id, cards[i].id, channel)));
  const answered = await bot.probe();
  const wanted = new Set(names);
  while ((await controls.groups()).filter((group) => wanted.has(group.displayName)).length < BURST) await sleep(10);
  const allGroupsMs = performance.now() - started;
  // Let the creations finish: their last store writes, and any Graph call still on its way.
  await sleep(1500 + latencyMs * 4);
  const probe = await bot.probe();
  const log = await controls.requests();
  await controls.setLatency(0);
  return {
    invokes: clicks.map((click) => click.ms),
    allGroupsMs,
    roundTrips: log.length,
    kinds: byKind(log),
    maxDelayMs: Math.max(answered.maxDelayMs, probe.maxDelayMs),
    cpuMs: answered.cpuMs + probe.cpuMs,
    answersCpuMs: answered.cpuMs,
    answersMainThreadCpuMs: answered.mainThreadCpuMs,
  };
}

/**
 * Each of the bot's bursts follows one of a fresh echo bot's, both processes up: a burst's ratio
 * then sets two figures taken a moment apart, under whatever else the machine was doing.
 */
async function burstFigures(bench: Bench): Promise<void> {
  console.log(
    `\n${BURST} concurrent approvals (SQLite, app-only; cold = a fresh process, warm = the next burst; each right after an echo bot's burst, the same):`,
  );
  for (const latency of bench.options.latencies) {
    const bot = await startBot(bench, sqlite(bench, `burst-${latency}`));
    const teams = new TeamsChannel(bot.origin);
    let echo: WarmedEcho | undefined;
    try {
      await connect(teams);
      echo = await startEcho(bench, `echo-burst-${latency}`);
      const echoCold = await echoBurst(echo.echo, echo.teams);
      const cold = await approvalBurst(bench, bot, teams, `cold ${latency}`, latency);
      const echoWarm = await echoBurst(echo.echo, echo.teams);
      const warm = await approvalBurst(bench, bot, teams, `warm ${latency}`, latency);
      console.log(`  echo bot        cold ${spread(echoCold.invokes)}   warm ${spread(echoWarm.invokes)}`);
      for (const [name, figures, yardstick] of [
        ['cold', cold, echoCold],
        ['warm', warm, echoWarm],
      ] as const) {
        console.log(
          `  Graph ${String(latency).padStart(3)} ms ${name}  invoke ${spread(figures.invokes)} (p99 ${ratio(quantile(figures.invokes, 0.99), quantile(yardstick.invokes, 0.99))} echo)` +
            `   all groups ${ms(figures.allGroupsMs)}   max loop delay ${ms(figures.maxDelayMs)} (echo ${ms(yardstick.maxDelayMs)})`,
        );
        console.log(
          `                   Graph round trips/approval ${(figures.roundTrips / BURST).toFixed(2)} (${figures.roundTrips}: ${figures.kinds})` +
            `   CPU/approval ${perClick(figures.cpuMs)}, ${perClick(figures.answersCpuMs)} until the last answer${onMainThread(figures.answersMainThreadCpuMs)} (echo ${perClick(yardstick.cpuMs)}/invoke)`,
        );
      }
    } finally {
      await echo?.stop();
      await bot.stop();
      await teams.stop();
    }
  }
}

/** The p50s of a store's one-at-a-time submissions and approvals. */
interface StoreP50 {
  submission: number;
  approval: number;
}

/**
 * Submissions and approvals one at a time on a store already holding `size` requests of others;
 * `smallest` is the same store's figures at its smallest size, which the p50s are set against.
 */
async function storeFigures(
  bench: Bench,
  store: RequestStoreOptions,
  size: number,
  label: string,
  echo: Yardstick,
  smallest?: StoreP50,
): Promise<StoreP50> {
  const seeded = await seedStore(store, size, bench.options.fillBudgetMs);
  const bot = await startBot(bench, store);
  const teams = new TeamsChannel(bot.origin);
  try {
    await connect(teams);
    // The first clicks of a fresh bot (and of a fresh Azurite, at the first size) pay for loading
    // and compiling code once; every size is measured after the same few, unmeasured.
    await submitAndApprove(teams, `Bench warm-up ${label} ${size}`, WARM_UP);
    const { submissions, approvals } = await submitAndApprove(teams, `Bench ${label} ${size}`, SAMPLES);
    const echoP50 = quantile(echo.single, 0.5);
    const p50: StoreP50 = { submission: quantile(submissions, 0.5), approval: quantile(approvals, 0.5) };
    const against = (kind: keyof StoreP50) => (smallest ? `, ${ratio(p50[kind], smallest[kind])} of the smallest` : '');
    console.log(
      `  ${label.padEnd(13)} ${count(seeded.count).padStart(7)} stored (filled in ${(seeded.ms / 1000).toFixed(0).padStart(4)} s): ` +
        `submission p50 ${ms(p50.submission)} p99 ${ms(quantile(submissions, 0.99))} (p50 ${ratio(p50.submission, echoP50)} echo${against('submission')})   ` +
        `approval p50 ${ms(p50.approval)} p99 ${ms(quantile(approvals, 0.99))} (p50 ${ratio(p50.approval, echoP50)} echo${against('approval')})`,
    );
    if (seeded.stoppedEarly) console.log(`                (${count(size)} asked: ${seeded.stoppedEarly})`);
    return p50;
  } finally {
    await bot.stop();
    await teams.stop();
  }
}

/** `count` submissions one at a time, then their approvals one at a time, each click timed. */
async function submitAndApprove(teams: TeamsChannel, name: string, count: number) {
  const submissions: number[] = [];
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const { ms: took, id } = await submit(teams, `${name} ${i}`);
    submissions.push(took);
    ids.push(id);
  }
  const approvals: number[] = [];
  for (const id of ids) approvals.push((await approve(teams, id)).ms);
  return { submissions, approvals };
}

async function storesFigures(bench: Bench, echo: Yardstick): Promise<void> {
  console.log(
    `\nSubmissions and approvals, ${SAMPLES} each after ${WARM_UP} unmeasured, one at a time, against stores holding others' requests (half open: failed, awaiting a retry); echo = one echo invoke:`,
  );
  let smallest: StoreP50 | undefined;
  for (const size of bench.options.sqliteSizes) {
    const p50 = await storeFigures(bench, sqlite(bench, `store-${size}`), size, 'SQLite', echo, smallest);
    smallest ??= p50;
  }
  const azurite = await startAzuriteTables();
  try {
    smallest = undefined;
    for (const size of bench.options.tableSizes) {
      const store = { kind: 'azureTables' as const, connectionString: azurite.connectionString, tablePrefix: `bench${size}` };
      const p50 = await storeFigures(bench, store, size, 'Azure Tables', echo, smallest);
      smallest ??= p50;
    }
  } finally {
    await azurite.stop();
  }
  console.log(
    '  (Azure Tables on Azurite, in memory, on the same 2 cores as the bot; npm run bench -- azurite shows what its reads and writes cost as a table grows)',
  );
}

/**
 * The highest RSS while `total` forms are asked for and submitted, SUBMITTERS at a time, and the
 * heap still held once they are done; the echo bot gets the same messages and clicks.
 */
async function submitMany(bot: MeasuredProcess, total: number, send: (index: number, chat: Conversation) => Promise<unknown>) {
  await bot.resetProbe();
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const index = next++;
      await send(index, { id: `a:bench-chat-${index % CHATS}`, conversationType: 'personal' });
    }
  };
  await Promise.all(Array.from({ length: SUBMITTERS }, worker));
  const seconds = (performance.now() - started) / 1000;
  const { maxRssBytes, heapAfterGcBytes = Number.NaN } = await bot.probe({ collectGarbage: true });
  return { seconds, maxRssBytes, heapAfterGcBytes };
}

async function memoryFigures(bench: Bench): Promise<void> {
  const total = bench.options.memorySubmissions;
  const echo = await startMeasured('echo-memory', ECHO_ENTRY, {}, bench.folder);
  const echoTeams = new TeamsChannel(echo.origin);
  let echoFigures;
  try {
    await echoTeams.start();
    echoFigures = await submitMany(echo, total, async (index, chat) => {
      const [form] = await echoTeams.say(requester, chat, 'new group');
      await echoTeams.click(requester, chat, form.id, 'submitRequest', { displayName: `Memory ${index}` });
    });
  } finally {
    await echo.stop();
    await echoTeams.stop();
  }
  const bot = await startBot(bench, sqlite(bench, 'memory'));
  const teams = new TeamsChannel(bot.origin);
  let botFigures;
  try {
    await connect(teams);
    botFigures = await submitMany(bot, total, (index, conversation) => submit(teams, `Memory ${index}`, { conversation }));
  } finally {
    await bot.stop();
    await teams.stop();
  }
  console.log(`\nMemory while ${count(total)} requests are submitted, ${SUBMITTERS} at a time (SQLite):`);
  console.log(
    `  RSS high-water   bot ${mib(botFigures.maxRssBytes).padStart(8)}   echo ${mib(echoFigures.maxRssBytes).padStart(8)}   ${ratio(botFigures.maxRssBytes, echoFigures.maxRssBytes)}` +
      `   (took ${botFigures.seconds.toFixed(0)} s, echo ${echoFigures.seconds.toFixed(0)} s)`,
  );
  console.log(
    `  heap after GC    bot ${mib(botFigures.heapAfterGcBytes).padStart(8)}   echo ${mib(echoFigures.heapAfterGcBytes).padStart(8)}   ${ratio(botFigures.heapAfterGcBytes, echoFigures.heapAfterGcBytes)}` +
      '   (at the end, all garbage collected: what the process holds)',
  );
}

/**
 * Groups of thousands of members, each submitted as a typed list and approved: the time from the
 * click until the group holds them all, and Graph's round trips for it next to the protocol's
 * minimum (one upsert binding 20, then PATCHes of 20 members packed 20 to a $batch).
 */
async function largeGroupFigures(bench: Bench): Promise<void> {
  const largest = Math.max(...bench.options.groupSizes);
  const fixture = loadFixture();
  const people = Array.from({ length: largest }, (_, i) => ({
    id: `0000beef-0000-4000-8000-${String(i).padStart(12, '0')}`,
    displayName: `Bench Member ${i}`,
    userPrincipalName: `m${i}@contoso.com`,
    accountEnabled: true,
  }));
  fixture.users.push(...people);
  const directory = await startLocalDirectory({ fixture });
  const bot = await startBot(bench, sqlite(bench, 'large'), directory);
  const teams = new TeamsChannel(bot.origin);
  console.log('\nLarge groups (SQLite, app-only, Graph at 0 ms):');
  try {
    await connect(teams);
    for (const size of bench.options.groupSizes) {
      const name = `Large ${size}`;
      const submitted = await timed(() =>
        submit(teams, name, {
          members: people
            .slice(0, size)
            .map((p) => p.userPrincipalName)
            .join(', '),
        }),
      );
      const card = await approvalCard(teams, submitted.value.id);
      await directory.graph.controls.clearRequests();
      const started = performance.now();
      await approve(teams, submitted.value.id, card.id);
      let group;
      for (;;) {
        group = (await directory.graph.controls.groups()).find((candidate) => candidate.displayName === name);
        if (group && group.members.length >= size) break;
        await sleep(200);
      }
      const createdMs = performance.now() - started;
      await sleep(1500);
      const log = await directory.graph.controls.requests();
      const beyondCreate = Math.max(0, size + group.owners.length - 20);
      const minimum = 1 + Math.ceil(Math.ceil(beyondCreate / 20) / 20);
      console.log(
        `  ${count(size).padStart(6)} members: submitted in ${(submitted.ms / 1000).toFixed(1)} s; all members in the group ${ms(createdMs)} after Approve;` +
          ` Graph round trips ${log.length} (${byKind(log)}); protocol minimum ${minimum} + the cold approver check`,
      );
    }
  } finally {
    await bot.stop();
    await teams.stop();
    await directory.stop();
  }
}

export async function run(flags: readonly string[] = []): Promise<void> {
  const options = botBenchOptions(flags);
  console.log('Building dist/ (npm run build)…');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(__dirname, '..', 'tsconfig.json')], {
    stdio: 'inherit',
  });
  const folder = await mkdtemp(join(tmpdir(), 'bot-bench-'));
  const directory = await startLocalDirectory();
  const bench: Bench = { directory, folder, options, processes: 0 };
  try {
    const echo = await measureEcho(bench);
    await startFigures(bench, echo);
    const parts: [BotBenchPart, () => Promise<void>][] = [
      ['bursts', () => burstFigures(bench)],
      ['stores', () => storesFigures(bench, echo)],
      ['memory', () => memoryFigures(bench)],
      ['large', () => largeGroupFigures(bench)],
    ];
    // One part failing (say, a store too slow to fill) leaves the others' figures to print.
    for (const [part, measure] of parts.filter(([part]) => options.parts.has(part))) {
      await measure().catch((error: unknown) =>
        console.log(`  (${part} stopped: ${error instanceof Error ? error.message : String(error)})`),
      );
    }
  } finally {
    await directory.stop();
    await rm(folder, { recursive: true, force: true });
  }
}
