import { loadFixture } from '../../src/dev/graphEmulator';
import { APPROVER, INTUNE_PROVISIONING_CLIENT, REQUESTER } from '../../src/dev/fixtures/wellKnown';
import { APPROVALS_CHANNEL, PERSONAL_REQUESTER, approvalCardOf, submitRequestForm, until } from '../support/botUnderTest';
import { RestartableBot } from '../support/restartableBot';
import { actionData, cardText, requestIdOf, teamsUser } from '../support/teamsChannel';

const requester = teamsUser(REQUESTER);
const approver = teamsUser(APPROVER);

/** The bot as its own process, so it can be killed mid-creation and started again on the same store. */
let bot: RestartableBot;

beforeAll(async () => {
  bot = await RestartableBot.open('restart', 'app', () => ({
    APPROVER_CACHE_SECONDS: '0',
    DECISION_ANSWER_WITHIN_MS: '60000',
    LOG_LEVEL: 'info',
    RESUME_AFTER_SECONDS: '1',
    RESUME_SWEEP_SECONDS: '1',
  }));
  await bot.start();
  await bot.teams.say(approver, APPROVALS_CHANNEL, 'use this channel for approvals');
});

afterAll(() => bot.close());

/** 25 users of the sample directory: more than one create request may carry, so members are added after it too. */
const MEMBERS = loadFixture()
  .users.filter((u) => !u.userPrincipalName.includes('#EXT#'))
  .slice(0, 25);

async function requestAndApprove(displayName: string, members: string) {
  const { id } = await submitRequestForm(bot.teams, requester, PERSONAL_REQUESTER, { displayName, members, justification: 'restart test' });
  expect(id).toBeTruthy();
  const approval = await approvalCardOf(bot.teams, id);
  const clicked = await bot.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'approveRequest', { requestId: id });
  expect(cardText(clicked.body.value)).toMatch(/creating the group/);
  return id;
}

async function storedStatus(id: string) {
  return (await bot.stored(id))?.status;
}

describe.each(['beforeCreate', 'afterCreate', 'afterGroupRecorded', 'afterMembersAdded'])(
  'the bot killed at %s during a creation',
  (point) => {
    it('finishes after a restart with exactly one group holding exactly the requested members', async () => {
      const name = `Restart at ${point}`;

      await bot.start({ CRASH_AT: point });
      const id = await requestAndApprove(name, MEMBERS.map((u) => u.userPrincipalName).join('\n'));
      expect(await bot.exited()).toBe('SIGKILL');
      expect(await storedStatus(id)).toBe('creating');

      await bot.start();
      await until('the request to be created after the restart', async () => (await storedStatus(id)) === 'created');
      const groups = (await bot.directory.graph.controls.groups()).filter((g) => g.displayName === name);
      expect(groups).toHaveLength(1);
      expect([...groups[0].members].sort()).toEqual(MEMBERS.map((u) => u.id).sort());
    });
  },
);

describe('the bot killed between the two groups of the Autopilot pair', () => {
  it('makes only the device group after a restart: each group once, the device group owned by the Intune Provisioning Client', async () => {
    // The user group is made first; the first time the bot has filled a group is between the two.
    await bot.start({ CRASH_AT: 'afterMembersAdded' });
    const { id } = await submitRequestForm(bot.teams, requester, PERSONAL_REQUESTER, {
      preset: 'autopilotPair',
      displayName: 'Restart pair users',
      deviceDisplayName: 'Restart pair devices',
      members: 'alexw@contoso.com',
      justification: 'restart test',
    });
    const approval = await approvalCardOf(bot.teams, id);
    await bot.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'approveRequest', { requestId: id });
    expect(await bot.exited()).toBe('SIGKILL');
    expect(await storedStatus(id)).toBe('creating');
    const named = async (name: string) => (await bot.directory.graph.controls.groups()).filter((g) => g.displayName === name);
    expect(await named('Restart pair users')).toHaveLength(1);
    expect(await named('Restart pair devices')).toEqual([]);

    await bot.start();
    await until('the pair to be created after the restart', async () => (await storedStatus(id)) === 'created');
    expect(await named('Restart pair users')).toHaveLength(1);
    const devices = await named('Restart pair devices');
    expect(devices).toHaveLength(1);
    expect(devices[0].owners).toContain(INTUNE_PROVISIONING_CLIENT.servicePrincipalId);
  });
});

describe('the bot killed between a decision and its card update', () => {
  it('updates the card after a restart, exactly once, and tells the requester', async () => {
    const { form, id } = await submitRequestForm(bot.teams, requester, PERSONAL_REQUESTER, {
      displayName: 'Killed before the card',
      members: 'alexw@contoso.com',
      justification: 'restart test',
    });
    const approval = await approvalCardOf(bot.teams, id);
    await until('the form to show the request', () => /Submitted/.test(cardText(bot.teams.latest(form.id)?.attachments?.[0].content)));

    await bot.start({ CRASH_AT: 'beforeDelivery' });
    // The process may die before its answer is written: the decision is stored either way.
    await bot.teams
      .click(approver, APPROVALS_CHANNEL, approval.id, 'rejectRequest', { requestId: id, rejectReason: 'Not this quarter' })
      .catch(() => undefined);
    expect(await bot.exited()).toBe('SIGKILL');
    expect(await storedStatus(id)).toBe('rejected');
    expect(cardText(bot.teams.latest(approval.id)?.attachments?.[0].content)).toMatch(/Submitted, waiting for approval/);
    const updatesBefore = bot.teams.updatesOf(approval.id);

    await bot.start();
    await until('the requester to be told', () =>
      bot.teams.sent.find((a) => a.conversationId === PERSONAL_REQUESTER.id && /rejected by Adele Vance/.test(a.text ?? '')),
    );
    expect(cardText(bot.teams.latest(approval.id)?.attachments?.[0].content)).toMatch(
      /Rejected by Adele Vance[\s\S]*Reason: Not this quarter/,
    );
    expect(cardText(bot.teams.latest(form.id)?.attachments?.[0].content)).toMatch(/Rejected by Adele Vance/);
    expect(bot.teams.updatesOf(approval.id) - updatesBefore).toBe(1);
  });
});

describe.each(['beforeApprovalPost', 'afterApprovalPostRecorded'])('the bot killed at %s, once a request is stored', (point) => {
  it('posts its approval card exactly once after a restart, and edits that card when it is decided', async () => {
    const name = `Posted across a restart at ${point}`;
    await bot.start({ CRASH_AT: point });
    const cardsBefore = bot.teams.cardsIn(APPROVALS_CHANNEL.id).length;
    const [form] = await bot.teams.say(requester, PERSONAL_REQUESTER, 'new group');
    // The process may die before its answer is written: the request is stored either way.
    await bot.teams
      .click(requester, PERSONAL_REQUESTER, form.id, 'submitRequest', {
        ...actionData(form.attachments?.[0]?.content, 'submitRequest'),
        displayName: name,
        members: 'alexw@contoso.com',
        justification: 'restart test',
      })
      .catch(() => undefined);
    expect(await bot.exited()).toBe('SIGKILL');

    await bot.start();
    const approval = await until('the approval card', () =>
      bot.teams.cardsIn(APPROVALS_CHANNEL.id).find((a) => cardText(a.attachments?.[0]?.content).includes(name)),
    );
    await until('the form to show the request', () => /Submitted/.test(cardText(bot.teams.latest(form.id)?.attachments?.[0].content)));
    const id = requestIdOf(approval.attachments?.[0].content);
    const stored = await bot.stored(id);
    expect(stored?.cards.approvalActivityId).toBe(approval.id);

    const clicked = await bot.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'approveRequest', { requestId: id });
    expect(cardText(clicked.body.value)).toMatch(/creating the group|Created/);
    await until('the approval card to show the group created', () =>
      /Created, approved by Adele Vance/.test(cardText(bot.teams.latest(approval.id)?.attachments?.[0].content)),
    );
    const posted = bot.teams.cardsIn(APPROVALS_CHANNEL.id).slice(cardsBefore);
    expect(posted.filter((a) => cardText(a.attachments?.[0]?.content).includes(name))).toHaveLength(1);
  }, 120_000);
});
