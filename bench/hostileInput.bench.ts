import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { RE2JS } from 're2js';
import { INTUNE_ADMIN, REQUESTER } from '../src/dev/fixtures/wellKnown';
import { openRequestForm, PERSONAL_REQUESTER, startBotUnderTest, type BotUnderTest } from '../test/support/botUnderTest';
import { actionData, type Conversation, type TeamsUser } from '../test/support/teamsChannel';

/**
 * What hostile input costs the bot: the event-loop delay (how long everyone else waits) while
 * each input is handled over real HTTP, and what the linear-time engine costs on ordinary
 * -match patterns next to JavaScript's backtracking one it replaced. Figures only.
 */

const requester: TeamsUser = { aadObjectId: REQUESTER.id, name: REQUESTER.displayName };
const bystander: TeamsUser = { aadObjectId: INTUNE_ADMIN.id, name: INTUNE_ADMIN.displayName };
const BYSTANDERS_CHAT: Conversation = { id: 'a:personal-bystander', conversationType: 'personal' };
const CONDITION = 'user.department -eq "Sales"';
const REDOS_PATTERN = '(.|.)*!';

const ORDINARY_PATTERNS = [
  '^smtp:user1',
  '@fabrikam\\.onmicrosoft\\.com$',
  '.*vid',
  '^Da.*',
  '[\\w.-]+@contoso\\.com$',
  '^(sales|marketing)-',
];
const VALUE_COUNT = 100_000;

function values(): string[] {
  const names = ['david', 'dana', 'megan', 'adele', 'lee', 'nestor', 'patti'];
  return Array.from(
    { length: VALUE_COUNT },
    (_, i) => `${names[i % names.length]}.user${i}@${i % 3 ? 'contoso.com' : 'fabrikam.onmicrosoft.com'}`,
  );
}

function perSecond(count: number, work: () => void): number {
  work();
  const started = performance.now();
  work();
  return count / ((performance.now() - started) / 1000);
}

function compareEngines(): void {
  const texts = values();
  console.log(
    `ordinary -match patterns over ${VALUE_COUNT.toLocaleString('en-US')} user principal names (tests/s; ×cost of RE2 against the old engine):`,
  );
  for (const pattern of ORDINARY_PATTERNS) {
    const old = new RegExp(pattern, 'i');
    const linear = RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
    const oldRate = perSecond(VALUE_COUNT, () => texts.forEach((text) => old.test(text)));
    const linearRate = perSecond(VALUE_COUNT, () => texts.forEach((text) => linear.test(text)));
    const line = `  ${pattern.padEnd(32)} old ${Math.round(oldRate).toLocaleString('en-US').padStart(12)}   RE2 ${Math.round(linearRate).toLocaleString('en-US').padStart(12)}`;
    console.log(`${line}   ×${(oldRate / linearRate).toFixed(1)}`);
  }
  const redos = new RegExp(REDOS_PATTERN, 'i');
  const linear = RE2JS.compile(REDOS_PATTERN, RE2JS.CASE_INSENSITIVE);
  for (const length of [16, 20, 22]) {
    const text = 'a'.repeat(length);
    const started = performance.now();
    redos.test(text);
    const oldMs = performance.now() - started;
    const linearStarted = performance.now();
    linear.test(text);
    const linearMs = performance.now() - linearStarted;
    console.log(
      `  ${REDOS_PATTERN} on one ${length}-character value: old ${oldMs.toFixed(1)} ms, RE2 ${linearMs.toFixed(3)} ms (each character more doubles the old engine's time)`,
    );
  }
}

async function formAction(t: BotUnderTest, verb: string, values: Record<string, string>) {
  const { form, card } = await openRequestForm(t.teams, requester, PERSONAL_REQUESTER, { membershipType: 'dynamic' });
  const data = { ...actionData(card, verb), ...values };
  return t.teams.click(requester, PERSONAL_REQUESTER, form.id, verb, data);
}

async function measureDelays(): Promise<void> {
  const t = await startBotUnderTest('app');
  let submissions = 0;
  const submit = (rule: string) =>
    formAction(t, 'submitRequest', { displayName: `Bench ${++submissions}`, membershipRule: rule, justification: 'bench' });
  const inputs: [string, () => Promise<unknown>][] = [
    ['ordinary "help"', () => t.teams.say(bystander, BYSTANDERS_CHAT, 'help')],
    ['Check rule, ReDoS pattern', () => formAction(t, 'checkRule', { membershipRule: `user.userPrincipalName -match "${REDOS_PATTERN}"` })],
    ['submission, ReDoS pattern', () => submit(`user.userPrincipalName -match "${REDOS_PATTERN}"`)],
    [
      'Check rule, nested 100,000 deep',
      () => formAction(t, 'checkRule', { membershipRule: `${'('.repeat(100_000)}${CONDITION}${')'.repeat(100_000)}` }),
    ],
    ['Check rule, 20,000 -not', () => formAction(t, 'checkRule', { membershipRule: `${'-not '.repeat(20_000)}${CONDITION}` })],
    ['message of 250,000 full stops', () => t.teams.say(requester, PERSONAL_REQUESTER, '.'.repeat(250_000))],
    ['message of about 1 MB', () => t.teams.send(requester, PERSONAL_REQUESTER, 'x'.repeat(1_000_000))],
  ];
  try {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    console.log('event-loop delay while the bot handles each input over HTTP (max and p99: how long everyone else waited):');
    for (const [name, send] of inputs) {
      const delay = monitorEventLoopDelay({ resolution: 5 });
      delay.enable();
      const started = performance.now();
      await send();
      const handledMs = performance.now() - started;
      delay.disable();
      const ms = (nanoseconds: number) => (nanoseconds / 1e6).toFixed(1).padStart(8);
      console.log(
        `  ${name.padEnd(34)} answered in ${handledMs.toFixed(0).padStart(6)} ms   delay max ${ms(delay.max)} ms   p99 ${ms(delay.percentile(99))} ms`,
      );
    }
  } finally {
    await t.stop();
  }
}

export async function run(): Promise<void> {
  compareEngines();
  await measureDelays();
}
