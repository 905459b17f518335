import { LOCAL_SSO_RESOURCE } from '../../src/dev/localDirectory';
import { INTUNE_ADMIN, REQUESTER } from '../../src/dev/fixtures/wellKnown';
import { APPROVALS_CHANNEL, PERSONAL_REQUESTER, approvalCardOf, submitRequestForm, until } from '../support/botUnderTest';
import { RestartableBot } from '../support/restartableBot';
import { cardText, teamsUser } from '../support/teamsChannel';

const requester = teamsUser(REQUESTER);
const approver = teamsUser(INTUNE_ADMIN);

/** The bot in delegated mode as its own process, so it can be killed between the sign-in and the creation. */
let bot: RestartableBot;

beforeAll(async () => {
  bot = await RestartableBot.open('sign-in-restart', 'delegated', () => ({
    APPROVER_CACHE_SECONDS: '0',
    DECISION_ANSWER_WITHIN_MS: '60000',
    RESUME_AFTER_SECONDS: '1',
    RESUME_SWEEP_SECONDS: '1',
  }));
});

afterAll(() => bot.close());

it('keeps a request approved with a sign-in when the bot stops before creating it: Retry with a new sign-in creates it once', async () => {
  await bot.start({ CRASH_AT: 'beforeCreate' });
  await bot.teams.say(approver, APPROVALS_CHANNEL, 'use this channel for approvals');
  const { id } = await submitRequestForm(bot.teams, requester, PERSONAL_REQUESTER, {
    displayName: 'Restart after sign-in',
    members: 'alexw@contoso.com',
    justification: 'restart',
  });
  const approval = await approvalCardOf(bot.teams, id);
  const token = () => bot.directory.tokens.issueUserToken({ oid: approver.aadObjectId, audience: LOCAL_SSO_RESOURCE });
  const approved = await bot.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'approveRequest', { requestId: id }, { token: token() });
  expect(cardText(approved.body.value)).toMatch(/creating the group/);
  expect(await bot.exited()).toBe('SIGKILL');
  expect((await bot.stored(id))?.status).toBe('creating');

  // No sign-in survives the process: the resumed creation stops and asks for Retry.
  await bot.start();
  const failed = await until('the resumed creation to ask for a new sign-in', async () => {
    const request = await bot.stored(id);
    return request?.status === 'failed' ? request : undefined;
  });
  expect(failed.failure?.message).toMatch(/click Retry creation and sign in/);
  expect((await bot.directory.graph.controls.groups()).filter((g) => g.displayName === 'Restart after sign-in')).toHaveLength(0);

  const retryCard = bot.teams.latest(approval.id)?.id ?? approval.id;
  const unsigned = await bot.teams.click(approver, APPROVALS_CHANNEL, retryCard, 'retryRequest', { requestId: id });
  expect(unsigned.body).toMatchObject({ statusCode: 401, type: 'application/vnd.microsoft.activity.loginRequest' });
  await bot.teams.click(approver, APPROVALS_CHANNEL, retryCard, 'retryRequest', { requestId: id }, { token: token() });
  await until('the retried creation to finish', async () => (await bot.stored(id))?.status === 'created');
  const groups = (await bot.directory.graph.controls.groups()).filter((g) => g.displayName === 'Restart after sign-in');
  expect(groups).toHaveLength(1);
  expect(groups[0]?.createdBy).toMatchObject({ kind: 'user', oid: approver.aadObjectId });
});
