import { setTimeout as sleep } from 'node:timers/promises';
import { APPROVER, REQUESTER } from '../src/dev/fixtures/wellKnown';
import type { LocalDirectory } from '../src/dev/localDirectory';
import type { RequestRecord } from '../src/dev/graphEmulator';
import type { RequestStoreOptions } from '../src/storage/openRequestStore';
import { APPROVALS_CHANNEL, PERSONAL_REQUESTER } from '../test/support/botUnderTest';
import { TeamsChannel, cardText, requestIdOf, teamsUser, type Conversation } from '../test/support/teamsChannel';
import { timed } from './measuredProcess';

/** Teams as the benchmarks drive it: the requester's form and submission, the approver's click, Graph's log read by kind. */

export const requester = teamsUser(REQUESTER);
export const approver = teamsUser(APPROVER);

/** How long a submission of thousands of members may take before the bench gives up on it. */
const SLOW_SUBMISSION_MS = 600_000;
/** Approval cards are paced with the other messages of their channel. */
const CARD_WAIT_MS = 180_000;

export function botEnv(directory: LocalDirectory, store: RequestStoreOptions): Record<string, string> {
  return {
    ...directory.botEnvironment('app'),
    LOG_LEVEL: 'warn',
    // The bench measures the outcome of a submission, not its 'checking' card.
    SUBMIT_ANSWER_WITHIN_MS: '60000',
    ...(store.kind === 'sqlite'
      ? { STORE: 'sqlite', SQLITE_PATH: store.path }
      : { STORE: 'azureTables', AZURE_STORAGE_CONNECTION_STRING: store.connectionString, AZURE_TABLE_PREFIX: store.tablePrefix }),
  };
}

export async function connect(teams: TeamsChannel): Promise<void> {
  await teams.start();
  await useForApprovals(teams, APPROVALS_CHANNEL);
}

/**
 * Approval cards go to `channel` from now on. Teams paces each conversation (60 messages in
 * 30 s), so each burst gets a channel of its own and never waits behind the last one's edits.
 */
export async function useForApprovals(teams: TeamsChannel, channel: Conversation): Promise<void> {
  await teams.say(approver, channel, 'use this channel for approvals');
}

/** The card the bot posted in `channel` for the request, waited for as long as pacing may take. */
export async function approvalCard(teams: TeamsChannel, id: string, channel: Conversation = APPROVALS_CHANNEL) {
  for (const started = Date.now(); Date.now() - started < CARD_WAIT_MS; await sleep(50)) {
    const card = teams.cardsIn(channel.id).find((a) => cardText(a.attachments?.[0]?.content).includes(`Request: ${id}`));
    if (card) return card;
  }
  throw new Error(`No approval card for ${id} in ${channel.id} after ${CARD_WAIT_MS / 1000} s.`);
}

/**
 * Asks for the form and submits it as the requester; only the click is timed, as Teams waits on
 * it. A submission still being checked after the answer is waited for until its card names the request.
 */
export async function submit(
  teams: TeamsChannel,
  displayName: string,
  options: { members?: string; conversation?: Conversation } = {},
): Promise<{ ms: number; id: string }> {
  const conversation = options.conversation ?? PERSONAL_REQUESTER;
  const [form] = await teams.say(requester, conversation, 'new group');
  const values = { displayName, members: options.members ?? 'alexw@contoso.com', justification: 'bench' };
  const { ms, value } = await timed(() => teams.click(requester, conversation, form.id, 'submitRequest', values));
  let id = requestIdOf(value.body?.value);
  for (const started = Date.now(); !id && value.status === 200 && Date.now() - started < SLOW_SUBMISSION_MS; await sleep(250)) {
    id = requestIdOf(teams.latest(form.id)?.attachments?.[0]?.content);
  }
  if (!id) throw new Error(`The submission of ${displayName} was refused: ${JSON.stringify(value.body).slice(0, 300)}`);
  return { ms, id };
}

export async function approve(teams: TeamsChannel, id: string, cardId?: string, channel: Conversation = APPROVALS_CHANNEL) {
  const card = cardId ?? (await approvalCard(teams, id, channel)).id;
  return timed(() => teams.click(approver, channel, card, 'approveRequest', { requestId: id }));
}

export type GraphCallKind = 'upsert' | 'nickname check' | 'approver check' | 'member adds' | 'other';

/** What a logged Graph call was for, by its method and URL (a $batch by its parts). */
export function kindOf(record: RequestRecord): GraphCallKind {
  const url = decodeURIComponent(record.url);
  const parts = record.batchParts ?? [];
  const isUpsert = (call: { method: string; url: string }) =>
    call.method === 'PATCH' && decodeURIComponent(call.url).startsWith('/groups(uniqueName=');
  if (isUpsert(record) || (parts.length && parts.every(isUpsert))) return 'upsert';
  if (url.endsWith('/checkMemberGroups')) return 'approver check';
  if (url.startsWith('/groups?') && url.includes('mailNickname')) return 'nickname check';
  if (parts.length && parts.every((part) => decodeURIComponent(part.url).includes('mailNickname'))) return 'nickname check';
  if (parts.length && parts.every((part) => part.method === 'PATCH')) return 'member adds';
  return 'other';
}

/** Round trips by kind, e.g. "upsert 50, nickname check 3, approver check 1". */
export function byKind(records: readonly RequestRecord[]): string {
  const counts = new Map<GraphCallKind, number>();
  for (const record of records) counts.set(kindOf(record), (counts.get(kindOf(record)) ?? 0) + 1);
  return [...counts].map(([kind, count]) => `${kind} ${count}`).join(', ');
}
