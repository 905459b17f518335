import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalDirectory, LOCAL_SSO_RESOURCE, type LocalDirectory } from '../../src/dev/localDirectory';
import { INTUNE_ADMIN, REQUESTER } from '../../src/dev/fixtures/wellKnown';
import { SqliteRequestStore } from '../../src/storage/sqliteRequestStore';
import { startBotProcess, type RunningBotProcess } from '../../scripts/local/botProcess';
import { loopbackPort } from '../../scripts/local/loopbackPort';
import { APPROVALS_CHANNEL, PERSONAL_REQUESTER, approvalCardOf, submitRequestForm, until } from '../support/botUnderTest';
import { TeamsChannel, cardText, teamsUser } from '../support/teamsChannel';

const requester = teamsUser(REQUESTER);
const approver = teamsUser(INTUNE_ADMIN);

let directory: LocalDirectory;
let folder: string;
let port: number;
let bot: RunningBotProcess | undefined;
let teams: TeamsChannel;

/** The bot in delegated mode as its own process, so it can be killed between the sign-in and the creation. */
async function startBot(extraEnv: Record<string, string> = {}): Promise<void> {
  const env = {
    ...directory.botEnvironment('delegated'),
    SQLITE_PATH: join(folder, 'requests.db'),
    APPROVER_CACHE_SECONDS: '0',
    DECISION_ANSWER_WITHIN_MS: '60000',
    RESUME_AFTER_SECONDS: '1',
    RESUME_SWEEP_SECONDS: '1',
    ...extraEnv,
  };
  bot = await startBotProcess({ port, env, logFolder: folder });
}

async function stored(id: string) {
  const store = await SqliteRequestStore.open({ path: join(folder, 'requests.db') });
  try {
    return await store.get(id);
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  directory = await startLocalDirectory();
  folder = mkdtempSync(join(tmpdir(), 'sign-in-restart-'));
  port = await loopbackPort(0, 'the bot');
  teams = new TeamsChannel(`http://127.0.0.1:${port}`);
  await teams.start();
});

afterAll(async () => {
  await bot?.stop();
  await teams.stop();
  await directory.stop();
  rmSync(folder, { recursive: true, force: true });
});

it('keeps a request approved with a sign-in when the bot stops before creating it: Retry with a new sign-in creates it once', async () => {
  await startBot({ CRASH_AT: 'beforeCreate' });
  await teams.say(approver, APPROVALS_CHANNEL, 'use this channel for approvals');
  const { id } = await submitRequestForm(teams, requester, PERSONAL_REQUESTER, {
    displayName: 'Restart after sign-in',
    members: 'alexw@contoso.com',
    justification: 'restart',
  });
  const approval = await approvalCardOf(teams, id);
  const token = () => directory.tokens.issueUserToken({ oid: approver.aadObjectId, audience: LOCAL_SSO_RESOURCE });
  const approved = await teams.click(approver, APPROVALS_CHANNEL, approval.id, 'approveRequest', { requestId: id }, { token: token() });
  expect(cardText(approved.body.value)).toMatch(/creating the group/);
  expect(await bot?.exited()).toBe('SIGKILL');
  expect((await stored(id))?.status).toBe('creating');

  // No sign-in survives the process: the resumed creation stops and asks for Retry.
  await startBot();
  const failed = await until('the resumed creation to ask for a new sign-in', async () => {
    const request = await stored(id);
    return request?.status === 'failed' ? request : undefined;
  });
  expect(failed.failure?.message).toMatch(/click Retry creation and sign in/);
  expect((await directory.graph.controls.groups()).filter((g) => g.displayName === 'Restart after sign-in')).toHaveLength(0);

  const retryCard = teams.latest(approval.id)?.id ?? approval.id;
  const unsigned = await teams.click(approver, APPROVALS_CHANNEL, retryCard, 'retryRequest', { requestId: id });
  expect(unsigned.body).toMatchObject({ statusCode: 401, type: 'application/vnd.microsoft.activity.loginRequest' });
  await teams.click(approver, APPROVALS_CHANNEL, retryCard, 'retryRequest', { requestId: id }, { token: token() });
  await until('the retried creation to finish', async () => (await stored(id))?.status === 'created');
  const groups = (await directory.graph.controls.groups()).filter((g) => g.displayName === 'Restart after sign-in');
  expect(groups).toHaveLength(1);
  expect(groups[0]?.createdBy).toMatchObject({ kind: 'user', oid: approver.aadObjectId });
});
