import { APPROVER, INTUNE_ADMIN, REQUESTER } from '../../src/dev/fixtures/wellKnown';
import {
  APPROVALS_CHANNEL,
  openRequestForm,
  PERSONAL_REQUESTER,
  startBotUnderTest,
  until,
  type BotUnderTest,
} from '../support/botUnderTest';
import { actionData, answerText, cardText, type Conversation, type InvokeAnswer, type TeamsUser } from '../support/teamsChannel';

/**
 * The bot stays live for everyone while it handles the most costly things a person can send:
 * a rule that backtracking engines take minutes over, rules nested 100,000 deep or with 20,000
 * -not, and messages of hundreds of kilobytes to a megabyte. Each gets a clear answer, and
 * meanwhile /healthz and another person's "help" keep answering.
 */

const requester: TeamsUser = { aadObjectId: REQUESTER.id, name: REQUESTER.displayName };
const approver: TeamsUser = { aadObjectId: APPROVER.id, name: APPROVER.displayName };
const bystander: TeamsUser = { aadObjectId: INTUNE_ADMIN.id, name: INTUNE_ADMIN.displayName };
const BYSTANDERS_CHAT: Conversation = { id: 'a:personal-bystander', conversationType: 'personal' };

/** Generous, for a loaded machine: liveness, not speed. A stalled bot misses it by minutes. */
const ANSWER_WITHIN_MS = 10_000;
/** The hostile input itself must be answered too, well before the test's own timeout. */
const HANDLED_WITHIN_MS = 40_000;

const CONDITION = 'user.department -eq "Sales"';
const REDOS_RULE = 'user.userPrincipalName -match "(.|.)*!"';
const DEEP_RULE = `${'('.repeat(100_000)}${CONDITION}${')'.repeat(100_000)}`;
const NOT_RULE = `${'-not '.repeat(20_000)}${CONDITION}`;
/** The rule checker's words, or the form's, for a rule over Entra's 3,072 characters. */
const TOO_LONG = /The rule is [\d,]+ characters long|A membership rule can have at most 3072 characters/;

let t: BotUnderTest;
let names = 0;

beforeAll(async () => {
  t = await startBotUnderTest('app');
  await t.teams.say(approver, APPROVALS_CHANNEL, 'use this channel for approvals');
});
afterAll(() => t.stop());

function answeredInTime<T>(what: string, work: Promise<T>, withinMs = ANSWER_WITHIN_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} got no answer within ${withinMs} ms while the bot handled the hostile input.`)),
      withinMs,
    );
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** Runs `hostile` and, until it is answered, checks that /healthz and another person's "help" keep answering. */
async function whileHandling<T>(hostile: () => Promise<T>): Promise<{ outcome: T; probes: number }> {
  let handled = false;
  const work = answeredInTime('The hostile input', hostile(), HANDLED_WITHIN_MS).finally(() => (handled = true));
  work.catch(() => undefined);
  let probes = 0;
  do {
    const health = await answeredInTime('/healthz', fetch(`${t.bot.url}/healthz`));
    expect(health.status).toBe(200);
    const [help] = await answeredInTime("another person's help", t.teams.say(bystander, BYSTANDERS_CHAT, 'help'));
    expect(cardText(help?.attachments?.[0]?.content)).toMatch(/new group/);
    probes++;
  } while (!handled);
  return { outcome: await work, probes };
}

async function openForm() {
  const [form] = await t.teams.say(requester, PERSONAL_REQUESTER, 'new group');
  return form;
}

async function checkRule(rule: string): Promise<InvokeAnswer> {
  const { form, card } = await openRequestForm(t.teams, requester, PERSONAL_REQUESTER, { membershipType: 'dynamic' });
  const data = {
    ...actionData(card, 'checkRule'),
    preset: 'custom',
    membershipType: 'dynamic',
    membershipRule: rule,
  };
  return t.teams.click(requester, PERSONAL_REQUESTER, form.id, 'checkRule', data);
}

async function submit(rule: string, displayName: string): Promise<InvokeAnswer> {
  const form = await openForm();
  const data = {
    ...actionData(form.attachments?.[0]?.content, 'submitRequest'),
    preset: 'custom',
    displayName,
    membershipType: 'dynamic',
    membershipRule: rule,
    justification: 'Liveness under hostile rules',
  };
  return t.teams.click(requester, PERSONAL_REQUESTER, form.id, 'submitRequest', data);
}

function uniqueName(what: string): string {
  names++;
  return `${what} ${names}`;
}

describe('the bot stays live while it handles hostile input', () => {
  it('previews the ReDoS rule from "Check rule" with counts, answering others meanwhile', async () => {
    const { outcome } = await whileHandling(() => checkRule(REDOS_RULE));
    expect(outcome.status).toBe(200);
    expect(answerText(outcome)).toMatch(/This rule matches (at least )?\d+ of the (first )?\d+ users/);
  });

  it('takes a submission with the ReDoS rule and shows its preview to the approver', async () => {
    const displayName = uniqueName('Exclaimed users');
    const { outcome } = await whileHandling(() => submit(REDOS_RULE, displayName));
    expect(outcome.status).toBe(200);
    expect(answerText(outcome)).not.toMatch(/went wrong/i);
    const approval = await until('the approval card', () =>
      t.teams.cardsIn(APPROVALS_CHANNEL.id).find((a) => cardText(a.attachments?.[0]?.content).includes(displayName)),
    );
    expect(cardText(approval.attachments?.[0]?.content)).toMatch(/This rule matches (at least )?\d+ of the (first )?\d+ users/);
  });

  it.each([
    ['nested 100,000 deep', DEEP_RULE],
    ['with 20,000 -not', NOT_RULE],
  ])('answers a rule %s with its length, from "Check rule" and from a submission', async (_what, rule) => {
    const checked = await whileHandling(() => checkRule(rule));
    expect(checked.outcome.status).toBe(200);
    expect(answerText(checked.outcome)).toMatch(TOO_LONG);
    const submitted = await whileHandling(() => submit(rule, uniqueName('Deep rule')));
    expect(submitted.outcome.status).toBe(200);
    expect(answerText(submitted.outcome)).toMatch(TOO_LONG);
  });

  it('answers a message of 250,000 full stops with the help card, repeating only its start', async () => {
    const { outcome } = await whileHandling(() => t.teams.send(requester, PERSONAL_REQUESTER, '.'.repeat(250_000)));
    expect(outcome.status).toBeLessThan(500);
    const help = cardText(outcome.replies[0]?.attachments?.[0]?.content);
    expect(help).toMatch(/I did not understand "\.{80}…"/);
    expect(help).toMatch(/new group/);
  });

  it('refuses or answers a message of about 1 MB, never with a server error, and answers the next message', async () => {
    const { outcome } = await whileHandling(() => t.teams.send(requester, PERSONAL_REQUESTER, `new group ${'x'.repeat(1_000_000)}`));
    expect(outcome.status).toBeLessThan(500);
    if (outcome.status === 200) expect(cardText(outcome.replies[0]?.attachments?.[0]?.content)).toMatch(/I did not understand/);
    else expect(outcome.status).toBe(413);
    const [next] = await t.teams.say(requester, PERSONAL_REQUESTER, 'new group');
    expect(cardText(next.attachments?.[0]?.content)).toMatch(/Request a security group/);
  });
});
