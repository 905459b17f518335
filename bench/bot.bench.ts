import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { APPROVER, REQUESTER } from '../src/dev/fixtures/wellKnown';
import { startLocalDirectory, type LocalDirectory } from '../src/dev/localDirectory';
import type { GroupRequest } from '../src/requests/groupRequest';
import { openRequestStore, type RequestStoreOptions } from '../src/storage/openRequestStore';
import { startAzuriteTables } from '../test/support/azuriteTables';
import { APPROVALS_CHANNEL, PERSONAL_REQUESTER, approvalCardOf } from '../test/support/botUnderTest';
import { sampleRequest } from '../test/storage/sampleRequest';
import { TeamsChannel, requestIdOf, teamsUser } from '../test/support/teamsChannel';
import { quantile, startMeasured, timed, type MeasuredProcess } from './measuredProcess';

/**
 * The bot as a whole, next to an echo bot of the same stack (bench/echoBot.ts) in the same run:
 * start to ready, idle RSS, submissions and approvals against stores of growing size, bursts of
 * 50 concurrent approvals at several Graph latencies, Graph round trips, the event loop's worst
 * delay. Both are built first and run as production runs the bot: `node dist/<entry>.js`.
 */

const BOT_ENTRY = 'dist/src/index.js';
const ECHO_ENTRY = 'dist/bench/echoBot.js';

const requester = teamsUser(REQUESTER);
const approver = teamsUser(APPROVER);
const BURST = 50;
const SAMPLES = 25;
const SQLITE_SIZES = [100, 10_000, 100_000];
/** Filling Azurite runs four writes per request on the same two cores; 100,000 would take most of an hour. */
const TABLE_SIZES = [100, 10_000];
const LATENCIES = [0, 25, 300];

const ms = (value: number) => `${value.toFixed(0).padStart(5)} ms`;
const ratio = (bot: number, echo: number) => `×${(bot / echo).toFixed(1)}`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
let processes = 0;

interface Stack {
  directory: LocalDirectory;
  folder: string;
}

function botEnv(stack: Stack, store: RequestStoreOptions): Record<string, string> {
  return {
    ...stack.directory.botEnvironment('app'),
    LOG_LEVEL: 'warn',
    // One requester sends every submission, so their chat is paced under Teams' rates while the
    // outbox delivers the previous burst's notices; the bench measures the outcome, not 'checking'.
    SUBMIT_ANSWER_WITHIN_MS: '60000',
    ...(store.kind === 'sqlite'
      ? { STORE: 'sqlite', SQLITE_PATH: store.path }
      : { STORE: 'azureTables', AZURE_STORAGE_CONNECTION_STRING: store.connectionString, AZURE_TABLE_PREFIX: store.tablePrefix }),
  };
}

/** `count` requests from other people, half of them still open, written straight to the store. */
async function fill(options: RequestStoreOptions, count: number): Promise<number> {
  const store = await openRequestStore(options);
  const started = performance.now();
  try {
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const index = next++;
        const sample = sampleRequest({ memberCount: 1 });
        // The whole id: open requests hold their nickname, and 50,000 short ones would collide.
        const spec = { ...sample.spec, mailNickname: `bench-${sample.id}` };
        const request: GroupRequest = { ...sample, spec, status: index % 2 === 0 ? 'submitted' : 'created' };
        await store.insert(request);
      }
    };
    await Promise.all(Array.from({ length: options.kind === 'sqlite' ? 1 : 24 }, worker));
  } finally {
    await store.close();
  }
  return performance.now() - started;
}

async function connect(teams: TeamsChannel): Promise<void> {
  await teams.start();
  await teams.say(approver, APPROVALS_CHANNEL, 'use this channel for approvals');
}

/** Submits a form as the requester; only the click is timed, as Teams waits on it. */
async function submit(teams: TeamsChannel, displayName: string) {
  const [form] = await teams.say(requester, PERSONAL_REQUESTER, 'new group');
  const { ms: took, value } = await timed(() =>
    teams.click(requester, PERSONAL_REQUESTER, form.id, 'submitRequest', {
      displayName,
      members: 'alexw@contoso.com',
      justification: 'bench',
    }),
  );
  const id = requestIdOf(value.body?.value);
  if (!id) throw new Error(`The submission of ${displayName} was refused: ${JSON.stringify(value.body).slice(0, 300)}`);
  return { ms: took, id };
}

async function approve(teams: TeamsChannel, id: string, cardId?: string) {
  const card = cardId ?? (await approvalCardOf(teams, id)).id;
  return timed(() => teams.click(approver, APPROVALS_CHANNEL, card, 'approveRequest', { requestId: id }));
}

async function storeFigures(stack: Stack, options: RequestStoreOptions, size: number, label: string): Promise<string> {
  const fillMs = await fill(options, size);
  const bot = await startMeasured(`bot-${++processes}`, BOT_ENTRY, botEnv(stack, options), stack.folder);
  const teams = new TeamsChannel(bot.origin);
  try {
    await connect(teams);
    const submissions: number[] = [];
    const ids: string[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const { ms: took, id } = await submit(teams, `Bench ${label} ${size} ${i}`);
      submissions.push(took);
      ids.push(id);
    }
    const approvals: number[] = [];
    for (const id of ids) approvals.push((await approve(teams, id)).ms);
    return (
      `  ${label.padEnd(13)} ${String(size).padStart(7)} stored (filled in ${(fillMs / 1000).toFixed(0)} s): ` +
      `submission p50 ${ms(quantile(submissions, 0.5))} p99 ${ms(quantile(submissions, 0.99))}   ` +
      `approval p50 ${ms(quantile(approvals, 0.5))} p99 ${ms(quantile(approvals, 0.99))}`
    );
  } finally {
    await teams.stop();
    await bot.stop();
  }
}

interface BurstFigures {
  invokes: number[];
  allGroupsMs: number;
  roundTripsPerApproval: number;
  maxDelayMs: number;
}

/** 50 approvals clicked at once; the groups are waited for and Graph's log counted. */
async function approvalBurst(
  stack: Stack,
  bot: MeasuredProcess,
  teams: TeamsChannel,
  label: string,
  latencyMs: number,
): Promise<BurstFigures> {
  const controls = stack.directory.graph.controls;
  const names = Array.from({ length: BURST }, (_, i) => `Burst ${label} ${i}`);
  const ids: string[] = [];
  for (const name of names) ids.push((await submit(teams, name)).id);
  const cards = await Promise.all(ids.map((id) => approvalCardOf(teams, id)));
  await controls.setLatency(latencyMs);
  await controls.clearRequests();
  await bot.resetProbe();
  const started = performance.now();
  const clicks = await Promise.all(ids.map((id, i) => approve(teams, id, cards[i].id)));
  const wanted = new Set(names);
  for (;;) {
    const made = (await controls.groups()).filter((group) => wanted.has(group.displayName)).length;
    if (made >= BURST) break;
    await sleep(10);
  }
  const allGroupsMs = performance.now() - started;
  // Let the creations finish (member adds, none here: a group of two fits in the create call).
  await sleep(1500 + latencyMs * 4);
  const probe = await bot.probe();
  const roundTrips = (await controls.requests()).length;
  await controls.setLatency(0);
  return { invokes: clicks.map((click) => click.ms), allGroupsMs, roundTripsPerApproval: roundTrips / BURST, maxDelayMs: probe.maxDelayMs };
}

async function echoBurst(bot: MeasuredProcess, teams: TeamsChannel): Promise<{ invokes: number[]; maxDelayMs: number }> {
  await bot.resetProbe();
  const clicks = await Promise.all(
    Array.from({ length: BURST }, (_, i) =>
      timed(() => teams.click(approver, APPROVALS_CHANNEL, `card-${i}`, 'approveRequest', { requestId: String(i) })),
    ),
  );
  return { invokes: clicks.map((click) => click.ms), maxDelayMs: (await bot.probe()).maxDelayMs };
}

const spread = (figures: number[]) =>
  `p50 ${ms(quantile(figures, 0.5))} p95 ${ms(quantile(figures, 0.95))} p99 ${ms(quantile(figures, 0.99))}`;

export async function run(): Promise<void> {
  console.log('Building dist/ (npm run build)…');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(__dirname, '..', 'tsconfig.json')], {
    stdio: 'inherit',
  });
  const folder = await mkdtemp(join(tmpdir(), 'bot-bench-'));
  const directory = await startLocalDirectory();
  const stack = { directory, folder };
  try {
    // The echo bot first: start, idle memory, one invoke at a time, then bursts.
    const echo = await startMeasured('echo', ECHO_ENTRY, {}, folder);
    const echoTeams = new TeamsChannel(echo.origin);
    let echoIdle, echoSingle: number[], echoCold, echoWarm;
    try {
      await sleep(2000);
      echoIdle = await echo.probe();
      await echoTeams.start();
      echoSingle = [];
      for (let i = 0; i < SAMPLES; i++)
        echoSingle.push((await timed(() => echoTeams.click(approver, APPROVALS_CHANNEL, 'card', 'approveRequest', {}))).ms);
      echoCold = await echoBurst(echo, echoTeams);
      echoWarm = await echoBurst(echo, echoTeams);
    } finally {
      await echoTeams.stop();
      await echo.stop();
    }

    const idleBot = await startMeasured(
      `bot-${++processes}`,
      BOT_ENTRY,
      botEnv(stack, { kind: 'sqlite', path: join(folder, 'idle.sqlite') }),
      folder,
    );
    let botIdle;
    try {
      await sleep(2000);
      botIdle = await idleBot.probe();
    } finally {
      await idleBot.stop();
    }

    console.log('Start and memory (both as node dist/<entry>.js):');
    console.log(
      `  start to ready   bot ${ms(idleBot.startToReadyMs)}   echo ${ms(echo.startToReadyMs)}   ${ratio(idleBot.startToReadyMs, echo.startToReadyMs)}`,
    );
    console.log(
      `  idle RSS         bot ${mib(botIdle.rssBytes).padStart(8)}   echo ${mib(echoIdle.rssBytes).padStart(8)}   ${ratio(botIdle.rssBytes, echoIdle.rssBytes)}`,
    );
    console.log(`  one invoke at a time, echo bot: ${spread(echoSingle)}`);

    console.log(`\n${BURST} concurrent approvals (SQLite, app-only; cold = a fresh process, warm = the next burst):`);
    console.log(
      `  echo bot         cold ${spread(echoCold.invokes)}   warm ${spread(echoWarm.invokes)}   max loop delay ${ms(Math.max(echoCold.maxDelayMs, echoWarm.maxDelayMs))}`,
    );
    for (const latency of LATENCIES) {
      const bot = await startMeasured(
        `bot-${++processes}`,
        BOT_ENTRY,
        botEnv(stack, { kind: 'sqlite', path: join(folder, `burst-${latency}.sqlite`) }),
        folder,
      );
      const teams = new TeamsChannel(bot.origin);
      try {
        await connect(teams);
        const cold = await approvalBurst(stack, bot, teams, `cold ${latency}`, latency);
        const warm = await approvalBurst(stack, bot, teams, `warm ${latency}`, latency);
        for (const [name, figures, echoFigures] of [
          ['cold', cold, echoCold],
          ['warm', warm, echoWarm],
        ] as const) {
          console.log(
            `  Graph ${String(latency).padStart(3)} ms ${name}  invoke ${spread(figures.invokes)} (p99 ${ratio(quantile(figures.invokes, 0.99), quantile(echoFigures.invokes, 0.99))} echo)` +
              `   all groups ${ms(figures.allGroupsMs)}   Graph round trips/approval ${figures.roundTripsPerApproval.toFixed(2)}` +
              `   max loop delay ${ms(figures.maxDelayMs)}`,
          );
        }
      } finally {
        await teams.stop();
        await bot.stop();
      }
    }
    console.log(`\nSubmissions and approvals, ${SAMPLES} each, one at a time, against stores holding other requests (half open):`);
    for (const size of SQLITE_SIZES) {
      console.log(await storeFigures(stack, { kind: 'sqlite', path: join(folder, `store-${size}.sqlite`) }, size, 'SQLite'));
    }
    const azurite = await startAzuriteTables();
    try {
      for (const size of TABLE_SIZES) {
        const options = { kind: 'azureTables' as const, connectionString: azurite.connectionString, tablePrefix: `bench${size}` };
        console.log(await storeFigures(stack, options, size, 'Azure Tables'));
      }
    } finally {
      await azurite.stop();
    }
    console.log('  (Azure Tables on Azurite, in memory on this machine; 100,000 left out: filling it takes too long on 2 cores)');
  } finally {
    await directory.stop();
    await rm(folder, { recursive: true, force: true });
  }
}
