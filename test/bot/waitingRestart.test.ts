import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APPROVER, APPROVERS_GROUP_ID, REQUESTER } from '../../src/dev/fixtures/wellKnown';
import { startLocalDirectory, type LocalDirectory } from '../../src/dev/localDirectory';
import type { GroupRequest } from '../../src/requests/groupRequest';
import { SqliteRequestStore } from '../../src/storage/sqliteRequestStore';
import { startBotProcess, type RunningBotProcess } from '../../scripts/local/botProcess';
import { loopbackPort } from '../../scripts/local/loopbackPort';
import { APPROVALS_CHANNEL, PERSONAL_REQUESTER, approvalCardOf, submitRequestForm, until } from '../support/botUnderTest';
import { TeamsChannel, cardText, requestIdOf, teamsUser } from '../support/teamsChannel';

const requester = teamsUser(REQUESTER);
const approver = teamsUser(APPROVER);
const ESCALATION_CHANNEL_ID = '19:escalation@thread.tacv2';

let directory: LocalDirectory;
let folder: string;
let port: number;
let botEnv: Record<string, string>;
let bot: RunningBotProcess | undefined;
let teams: TeamsChannel;

async function startBot(extraEnv: Record<string, string> = {}): Promise<void> {
  bot = await startBotProcess({ port, env: { ...botEnv, ...extraEnv }, logFolder: folder });
}

async function storeRead<T>(read: (store: SqliteRequestStore) => Promise<T>): Promise<T> {
  const store = await SqliteRequestStore.open({ path: join(folder, 'requests.db') });
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}

const stored = (id: string): Promise<GroupRequest | undefined> => storeRead((store) => store.get(id));

beforeAll(async () => {
  directory = await startLocalDirectory();
  folder = mkdtempSync(join(tmpdir(), 'waiting-restart-'));
  const policyFile = join(folder, 'policy.json');
  // Seconds instead of hours: by the time the bot looks, both are due.
  writeFileSync(
    policyFile,
    JSON.stringify({
      routes: [
        {
          name: 'Timed',
          stages: [{ name: 'Approval', approversGroupId: APPROVERS_GROUP_ID }],
          remindAfter: 'PT1S',
          escalation: { after: 'PT2S', approversGroupId: APPROVERS_GROUP_ID, channel: ESCALATION_CHANNEL_ID },
          expireAfter: 'P1D',
        },
      ],
    }),
  );
  port = await loopbackPort(0, 'the bot');
  botEnv = {
    ...directory.botEnvironment('app'),
    SQLITE_PATH: join(folder, 'requests.db'),
    APPROVER_CACHE_SECONDS: '0',
    LOG_LEVEL: 'info',
    APPROVAL_POLICY_FILE: policyFile,
    OUTBOX_POLL_SECONDS: '0.2',
    WAITING_SWEEP_SECONDS: '0.2',
  };
  teams = new TeamsChannel(`http://127.0.0.1:${port}`);
  await teams.start();
});

afterAll(async () => {
  await bot?.stop();
  await teams.stop();
  await directory.stop();
  rmSync(folder, { recursive: true, force: true });
});

test('a reminder and an escalation recorded before a crash are each sent exactly once after the restart, and never again', async () => {
  // Submitted while no sweep runs, so the reminder and escalation fall due with the bot stopped.
  await startBot({ WAITING_SWEEP_SECONDS: '3600' });
  await teams.say(approver, APPROVALS_CHANNEL, 'use this channel for approvals');
  const { form, id } = await submitRequestForm(teams, requester, PERSONAL_REQUESTER, {
    displayName: 'Waits through a crash',
    members: 'alexw@contoso.com',
    justification: 'restart test',
  });
  const approval = await approvalCardOf(teams, id);
  // The submission's own card update is delivered before the stop, so the next bot's first delivery is the reminder's.
  await until('the form to be updated', () => teams.updatesOf(form.id) > 0);
  await bot?.stop();

  // The sweep records both in the request's history with their messages; the bot dies before sending any.
  // It may die before answering its first health check: then starting it fails, having crashed all the same.
  const crashed = await startBotProcess({ port, env: { ...botEnv, CRASH_AT: 'beforeDelivery' }, logFolder: folder }).then(
    (started) => started.exited(),
    (error: Error) => error.message,
  );
  expect(crashed).toMatch(/^SIGKILL$|exited while starting/);
  const recorded = await stored(id);
  expect(recorded?.audit.filter((entry) => entry.reminder)).toHaveLength(1);
  const threadReplies = () => teams.sent.filter((a) => a.conversationId === APPROVALS_CHANNEL.id && a.thread === approval.id);
  const escalationCards = () => teams.cardsIn(ESCALATION_CHANNEL_ID).filter((a) => requestIdOf(a.attachments?.[0]?.content) === id);
  expect(threadReplies()).toEqual([]);

  await startBot();
  await until(
    'the reminder in the thread and the card in the escalation channel',
    () => threadReplies().length && escalationCards().length,
  );
  await until('the approval card to say both', () =>
    /Waiting for a decision for .* \(approvers reminded once, escalated\)/.test(
      cardText(teams.latest(approval.id)?.attachments?.[0].content),
    ),
  );
  expect(threadReplies().map((a) => a.text)).toEqual([
    expect.stringMatching(new RegExp(`^Reminder: request ${id} has waited \\d+ seconds? for a decision`)),
  ]);

  // Another restart, with the sweep running all along: nothing is sent twice.
  await bot?.stop();
  await startBot();
  // Ten sweeps' worth: a repeat would have been recorded and sent by now.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  await until('nothing left to send', async () => (await storeRead((store) => store.pendingChanges(10))).length === 0);
  const settled = await stored(id);
  expect(settled?.audit.filter((entry) => entry.reminder)).toHaveLength(1);
  expect(settled?.audit.filter((entry) => entry.escalation)).toHaveLength(1);
  expect(settled?.cards.escalationActivityId).toBe(escalationCards()[0].id);
  expect(threadReplies()).toHaveLength(1);
  expect(escalationCards()).toHaveLength(1);
}, 300_000);
