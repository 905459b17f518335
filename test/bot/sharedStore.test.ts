import { APPROVER, INTUNE_ADMIN, REQUESTER } from '../../src/dev/fixtures/wellKnown';
import { startLocalDirectory, type LocalDirectory } from '../../src/dev/localDirectory';
import { startAzuriteTables, type AzuriteTables } from '../support/azuriteTables';
import {
  APPROVALS_CHANNEL,
  PERSONAL_REQUESTER,
  approvalCardOf,
  startBotUnderTest,
  submitRequestForm,
  until,
  type BotUnderTest,
} from '../support/botUnderTest';
import { cardText, teamsUser } from '../support/teamsChannel';

const requester = teamsUser(REQUESTER);

/** Two instances of the bot, as in Azure: one Azure Table store (Azurite here), one directory. */
let azurite: AzuriteTables;
let directory: LocalDirectory;
let first: BotUnderTest;
let second: BotUnderTest;
let store: Record<string, string>;

beforeAll(async () => {
  azurite = await startAzuriteTables();
  directory = await startLocalDirectory();
  store = { STORE: 'azureTables', AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, AZURE_TABLE_PREFIX: 'Shared' };
  first = await startBotUnderTest('app', store, directory);
  second = await startBotUnderTest('app', store, directory);
});

afterAll(async () => {
  await first?.stop();
  await second?.stop();
  await directory?.stop();
  await azurite?.stop();
});

describe('several bot instances on one Azure Table store', () => {
  it('share the approvals channel, and two approvals on two instances make exactly one group', async () => {
    await first.teams.say({ aadObjectId: APPROVER.id, name: APPROVER.displayName }, APPROVALS_CHANNEL, 'use this channel for approvals');

    const { id } = await submitRequestForm(second.teams, requester, PERSONAL_REQUESTER, {
      displayName: 'Two instances',
      members: 'alexw@contoso.com, joni.sherman@contoso.com',
      justification: 'scale out',
    });
    // The channel was chosen through the first instance; the second one posts there all the same
    // (through the channel's own connector, which is where the first instance's Teams is).
    const approval = await approvalCardOf(first.teams, id);

    const answers = await Promise.all([
      first.teams.click({ aadObjectId: APPROVER.id, name: APPROVER.displayName }, APPROVALS_CHANNEL, approval.id, 'approveRequest', {
        requestId: id,
      }),
      second.teams.click(
        { aadObjectId: INTUNE_ADMIN.id, name: INTUNE_ADMIN.displayName },
        APPROVALS_CHANNEL,
        approval.id,
        'approveRequest',
        { requestId: id },
      ),
    ]);
    expect(answers.map((a) => cardText(a.body.value)).filter((text) => /already/.test(text))).toHaveLength(1);
    await Promise.all([first.bot.settled(), second.bot.settled()]);

    await until('the request to be created', async () => (await first.bot.service.get(id))?.status === 'created');
    const groups = (await directory.graph.controls.groups()).filter((g) => g.displayName === 'Two instances');
    expect(groups).toHaveLength(1);
    expect(groups[0].members).toHaveLength(2);
  });

  it('leave a creation another live instance is running alone, even when one of them starts meanwhile', async () => {
    const { id } = await submitRequestForm(first.teams, requester, PERSONAL_REQUESTER, {
      displayName: 'Slow creation',
      members: 'alexw@contoso.com',
      justification: 'scale out',
    });
    const approval = await approvalCardOf(first.teams, id);
    // Graph takes its time to create the group while a third instance starts and looks for abandoned work.
    await directory.graph.controls.injectFault({ delayMs: 2000, method: 'POST', pathPrefix: '/groups', count: 1 });
    await first.teams.click({ aadObjectId: APPROVER.id, name: APPROVER.displayName }, APPROVALS_CHANNEL, approval.id, 'approveRequest', {
      requestId: id,
    });
    const third = await startBotUnderTest('app', { ...store, RESUME_SWEEP_SECONDS: '1' }, directory);
    try {
      await first.bot.settled();
      await until('the request to be created', async () => (await first.bot.service.get(id))?.status === 'created');
      await third.bot.settled();
      expect((await directory.graph.controls.groups()).filter((g) => g.displayName === 'Slow creation')).toHaveLength(1);
      expect((await first.bot.service.get(id))?.audit.map((a) => a.action)).not.toContain('creation resumed after a restart');
    } finally {
      await third.stop();
    }
  });
});
