import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startBotServer, type RunningBot } from '../../src/botServer';
import { loadConfig } from '../../src/config';
import { startLocalDirectory, type LocalDirectory } from '../../src/dev/localDirectory';
import {
  TeamsChannel,
  actionData,
  actionsOf,
  cardText,
  inputValues,
  requestIdOf,
  type Conversation,
  type SentActivity,
  type TeamsUser,
} from './teamsChannel';

export const PERSONAL_REQUESTER: Conversation = { id: 'a:personal-requester', conversationType: 'personal' };
export const PERSONAL_APPROVER: Conversation = { id: 'a:personal-approver', conversationType: 'personal' };
export const APPROVALS_CHANNEL: Conversation = { id: '19:approvals@thread.tacv2', conversationType: 'channel' };

/** The bot in this process on a free port, over real HTTP, with the local directory and a SQLite file. */
export interface BotUnderTest {
  directory: LocalDirectory;
  bot: RunningBot;
  teams: TeamsChannel;
  sqlitePath: string;
  /** What the bot logged at info and above, one JSON line each. */
  logLines: string[];
  stop(): Promise<void>;
}

/**
 * `shared`: a directory another bot under test already uses (several instances of one bot);
 * it is then left running when this one stops.
 */
export async function startBotUnderTest(
  mode: 'app' | 'delegated' = 'app',
  extraEnv: Record<string, string> = {},
  shared?: LocalDirectory,
): Promise<BotUnderTest> {
  const directory = shared ?? (await startLocalDirectory());
  const folder = mkdtempSync(join(tmpdir(), 'bot-under-test-'));
  const sqlitePath = join(folder, 'requests.db');
  // Tests read what a decision answers; on a loaded machine it may outlast the 4 s budget, which test/bot/decisionBudget.test.ts covers.
  const config = loadConfig({
    ...directory.botEnvironment(mode),
    PORT: '0',
    SQLITE_PATH: sqlitePath,
    APPROVER_CACHE_SECONDS: '0',
    LOG_LEVEL: 'silent',
    DECISION_ANSWER_WITHIN_MS: '60000',
    ...extraEnv,
  });
  const logLines: string[] = [];
  const bot = await startBotServer(config, { log: pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) }) }).catch(
    async (error: unknown) => {
      if (!shared) await directory.stop();
      rmSync(folder, { recursive: true, force: true });
      throw error;
    },
  );
  const teams = new TeamsChannel(bot.url);
  await teams.start();
  return {
    directory,
    bot,
    teams,
    sqlitePath,
    logLines,
    async stop() {
      await bot.stop();
      await teams.stop();
      if (!shared) await directory.stop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** Generous for a loaded machine: what is awaited happens in the background, paced like Teams. */
const UNTIL_MS = 30_000;

/** Waits for background work the bot does after answering a click (creation, card updates). */
export async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + UNTIL_MS;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Still waiting for ${what} after ${UNTIL_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The kind of group and membership type a form is drawn for, as its buttons name them. */
export interface FormShapeChoice {
  preset?: string;
  membershipType?: string;
}

/**
 * Opens the request form in `conversation` and, as a requester would, presses its buttons for
 * the kind and then the membership type, when they differ from the form's first ones (custom, assigned).
 * `card` is the form as the requester then sees it, in activity `form`.
 */
export async function openRequestForm(teams: TeamsChannel, user: TeamsUser, conversation: Conversation, shape: FormShapeChoice = {}) {
  const [form] = await teams.say(user, conversation, 'new group');
  let card = form.attachments?.[0]?.content;
  const press = async (choose: (data: Record<string, unknown>) => boolean) => {
    const button = actionsOf(card, 'changeFormShape').find((action) => choose(action.data));
    if (!button) throw new Error(`The form has no button for ${JSON.stringify(shape)}.`);
    card = (await teams.click(user, conversation, form.id, 'changeFormShape', { ...inputValues(card), ...button.data })).body.value;
  };
  if (shape.preset && shape.preset !== 'custom') await press((data) => data.toPreset === shape.preset);
  if (shape.membershipType && shape.membershipType !== actionData(card, 'submitRequest').membershipType)
    await press((data) => data.toMembershipType === shape.membershipType && data.toPreset === data.preset);
  return { form, card };
}

/**
 * Opens the request form in `conversation` and submits it with `values`, as a requester would.
 * `id` is the request id the answer shows; a refused form shows none, so it is then undefined.
 */
export async function submitRequestForm(teams: TeamsChannel, user: TeamsUser, conversation: Conversation, values: Record<string, string>) {
  const [form] = await teams.say(user, conversation, 'new group');
  const submitData = actionData(form.attachments?.[0]?.content, 'submitRequest');
  const answer = await teams.click(user, conversation, form.id, 'submitRequest', { ...submitData, ...values });
  return { form, answer, id: requestIdOf(answer.body?.value) };
}

/** Waits for the card the bot posts in the approvals channel for `requestId`; it is posted after the click is answered. */
export function approvalCardOf(teams: TeamsChannel, requestId: string, channelId = APPROVALS_CHANNEL.id): Promise<SentActivity> {
  return until(`the approval card of ${requestId}`, () =>
    teams.cardsIn(channelId).find((a) => cardText(a.attachments?.[0]?.content).includes(`Request: ${requestId}`)),
  );
}
