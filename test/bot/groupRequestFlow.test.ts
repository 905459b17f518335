import { createGraphCredentials } from '../../src/graph/credentials';
import { GraphGroupWriter } from '../../src/graph/groupWriter';
import { LOCAL_BOT_SECRET } from '../../src/dev/localDirectory';
import {
  APPROVER,
  BOT_APP_ID,
  TENANT_ID,
  GLOBAL_ADMIN,
  INTUNE_ADMIN,
  INTUNE_PROVISIONING_CLIENT,
  NESTED_APPROVER,
  REQUESTER,
  USER_WITH_DIFFERENT_MAIL,
} from '../../src/dev/fixtures/wellKnown';
import {
  APPROVALS_CHANNEL,
  PERSONAL_APPROVER,
  PERSONAL_REQUESTER,
  approvalCardOf,
  startBotUnderTest,
  submitRequestForm,
  until,
  type BotUnderTest,
} from '../support/botUnderTest';
import { actionData, answerText, cardText, personalChatOf, requestIdOf, type SentActivity, type TeamsUser } from '../support/teamsChannel';

const requester: TeamsUser = { aadObjectId: REQUESTER.id, name: REQUESTER.displayName };
const approver: TeamsUser = { aadObjectId: APPROVER.id, name: APPROVER.displayName };
const secondApprover: TeamsUser = { aadObjectId: INTUNE_ADMIN.id, name: INTUNE_ADMIN.displayName };
const notApprover: TeamsUser = { aadObjectId: GLOBAL_ADMIN.id, name: GLOBAL_ADMIN.displayName };

let t: BotUnderTest;

beforeAll(async () => {
  t = await startBotUnderTest('app');
  const said = await t.teams.say(approver, APPROVALS_CHANNEL, '<at>Entra Group Requests</at> use this channel for approvals');
  expect(said[0].text).toMatch(/Approval cards will be posted in this channel/);
});
afterAll(() => t.stop());

function card(activity: SentActivity | undefined) {
  return activity?.attachments?.[0]?.content;
}

/** Opens the form in `who`'s personal chat, checks it is the request form, and submits it: { form, answer, id }. */
async function submit(values: Record<string, string>, who: TeamsUser = requester) {
  const submitted = await submitRequestForm(t.teams, who, who === requester ? PERSONAL_REQUESTER : PERSONAL_APPROVER, values);
  expect(cardText(card(submitted.form))).toMatch(/Request a security group/);
  return submitted;
}

async function groupNamed(displayName: string) {
  return until(`group ${displayName}`, async () => (await t.directory.graph.controls.groups()).find((g) => g.displayName === displayName));
}

describe('requesting, approving and creating a security group', () => {
  it('creates an assigned group with its members and owners, created by the approving admin, and keeps every card current', async () => {
    const { form, answer, id } = await submit({
      preset: 'custom',
      displayName: 'Sales laptops pilot',
      membershipType: 'assigned',
      owners: 'lee.gu@contoso.com',
      members: `megan.bowen@contoso.com\n${USER_WITH_DIFFERENT_MAIL.userPrincipalName}, alex.wilber@contoso.com`,
      justification: 'Pilot of the new laptop image',
    });
    expect(answer.status).toBe(200);
    const status = cardText(answer.body.value);
    expect(status).toMatch(/Submitted, waiting for approval/);

    const approval = await approvalCardOf(t.teams, id);
    expect(cardText(await t.teams.view(approver, APPROVALS_CHANNEL, approval.id))).toMatch(
      /Group request from Megan Bowen[\s\S]*Sales laptops pilot[\s\S]*Pilot of the new laptop image[\s\S]*\[Approve\]/,
    );

    const clicked = await t.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'approveRequest', { requestId: id });
    expect(cardText(clicked.body.value)).toMatch(/Approved by Adele Vance: creating the group/);

    await t.bot.settled();
    const group = await groupNamed('Sales laptops pilot');
    expect(group).toMatchObject({ securityEnabled: true, mailEnabled: false, groupTypes: [], mailNickname: 'Sales-laptops-pilot' });
    expect(new Set(group.members)).toEqual(new Set([REQUESTER.id, USER_WITH_DIFFERENT_MAIL.id]));
    // App-only mode: the bot is the creator, so the approving admin is made an owner.
    expect(new Set(group.owners)).toEqual(new Set([INTUNE_ADMIN.id, APPROVER.id]));
    expect(group.createdBy).toMatchObject({ kind: 'app' });

    const channelCard = cardText(card(t.teams.latest(approval.id)));
    expect(channelCard).toMatch(/Created, approved by Adele Vance/);
    expect(channelCard).toContain(`Group object id: ${group.id}`);
    expect(channelCard).not.toMatch(/\[Approve\]/);
    expect(channelCard).toMatch(/Owners: Lee Gu \(lee\.gu@contoso\.com\) \[Intune Administrator\], Adele Vance \(the approver\)/);
    const requesterCard = cardText(card(t.teams.latest(form.id)));
    expect(requesterCard).toMatch(/Created/);
    expect(requesterCard).toMatch(/\[Open in Entra admin center\]/);
    const notes = t.teams.sent.filter((a) => a.conversationId === PERSONAL_REQUESTER.id && a.text).map((a) => a.text);
    expect(notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/was approved by Adele Vance; the group is being created/),
        expect.stringMatching(`was created. Its object id is ${group.id}`),
      ]),
    );
  });

  it('creates a dynamic group with its rule, processing on', async () => {
    const rule = '(user.department -eq "Sales") -and (user.accountEnabled -eq true)';
    const { id } = await submit({
      preset: 'autopilotUsers',
      displayName: 'Autopilot DP users - Sales',
      membershipType: 'dynamic',
      membershipRule: rule,
      justification: 'Device preparation for Sales',
    });
    const approval = await approvalCardOf(t.teams, id);
    expect(cardText(card(approval))).toContain(rule);
    expect(cardText(card(approval))).toMatch(/This rule matches \d+ of the \d+ users in the directory now\. For example: /);
    await t.teams.click(secondApprover, APPROVALS_CHANNEL, approval.id, 'approveRequest', { requestId: id });
    await t.bot.settled();
    const group = await groupNamed('Autopilot DP users - Sales');
    expect(group).toMatchObject({
      groupTypes: ['DynamicMembership'],
      membershipRule: rule,
      membershipRuleProcessingState: 'On',
      members: [],
    });
  });

  it('makes the Autopilot device group assigned and owned by the Intune Provisioning Client', async () => {
    const { id } = await submit({ preset: 'autopilotDevices', displayName: 'Autopilot DP devices', justification: 'Device preparation' });
    await t.teams.click(approver, APPROVALS_CHANNEL, (await approvalCardOf(t.teams, id)).id, 'approveRequest', { requestId: id });
    await t.bot.settled();
    const group = await groupNamed('Autopilot DP devices');
    expect(group).toMatchObject({ groupTypes: [], members: [] });
    expect(group.owners).toContain(INTUNE_PROVISIONING_CLIENT.servicePrincipalId);
  });

  it('shows every invalid field next to itself, keeping what the requester typed', async () => {
    const typed = {
      preset: 'custom',
      displayName: '',
      mailNickname: 'no spaces please',
      description: 'd'.repeat(1025),
      membershipType: 'assigned',
      owners: 'not an address',
      members: 'megan.bowen@contoso.com',
      justification: '',
    };
    const { answer } = await submit(typed);
    const form = answer.body.value;
    const text = cardText(form);
    expect(text).toMatch(/Some fields need attention/);
    expect(text).toMatch(/Give the group a name/);
    expect(text).toMatch(/A mail nickname cannot contain spaces/);
    expect(text).toMatch(/at most 1024 characters/);
    expect(text).toMatch(/Not a user principal name or email address: not, an, address/);
    expect(text).toMatch(/Say why the group is needed/);
    const inputs = JSON.stringify(form);
    expect(inputs).toContain('"value":"no spaces please"');
    expect(inputs).toContain('"value":"megan.bowen@contoso.com"');
  });

  it('stores one request and posts one approval card when the same form is sent twice', async () => {
    const [form] = await t.teams.say(requester, PERSONAL_REQUESTER, 'new group');
    const values = {
      ...actionData(card(form), 'submitRequest'),
      displayName: 'Double submit',
      members: 'alexw@contoso.com',
      justification: 'x',
    };
    const answers = await Promise.all([
      t.teams.click(requester, PERSONAL_REQUESTER, form.id, 'submitRequest', values),
      t.teams.click(requester, PERSONAL_REQUESTER, form.id, 'submitRequest', values),
    ]);
    const ids = answers.map((a) => requestIdOf(a.body.value));
    expect(ids[0]).toBe(ids[1]);
    await t.bot.settled();
    expect(t.teams.cardsIn(APPROVALS_CHANNEL.id).filter((a) => cardText(card(a)).includes(`Request: ${ids[0]}`))).toHaveLength(1);
    // Sent once more later (a retried delivery): the same request again, not a nickname clash.
    const again = await t.teams.click(requester, PERSONAL_REQUESTER, form.id, 'submitRequest', values);
    expect(requestIdOf(again.body.value)).toBe(ids[0]);
    expect(cardText(again.body.value)).toMatch(/Submitted, waiting for approval/);
  });

  it('reports every member the directory does not know, all at once, and stores nothing', async () => {
    const before = (await t.bot.service.listMine({ aadObjectId: requester.aadObjectId, name: '' })).length;
    const { answer } = await submit({
      displayName: 'Ghosts',
      members: 'ghost.one@contoso.com, megan.bowen@contoso.com, ghost.two@contoso.com',
      justification: 'x',
    });
    expect(cardText(answer.body.value)).toMatch(/No user in the directory is called ghost\.one@contoso\.com, ghost\.two@contoso\.com/);
    expect((await t.bot.service.listMine({ aadObjectId: requester.aadObjectId, name: '' })).length).toBe(before);
  });

  it('refuses an invalid membership rule and shows where the problem is', async () => {
    const { answer } = await submit({
      displayName: 'Bad rule',
      membershipType: 'dynamic',
      membershipRule: 'user.departmnt -eq "Sales"',
      justification: 'x',
    });
    expect(cardText(answer.body.value)).toContain(
      'At "user.departmnt" (character 1): departmnt is not a user property that rules can use. Did you mean user.department?',
    );
  });

  it('checks a rule made with the builder and previews what it matches, before submission', async () => {
    const [form] = await t.teams.say(requester, PERSONAL_REQUESTER, 'new group');
    const typed = {
      displayName: 'Builder',
      membershipType: 'dynamic',
      justification: 'x',
      ruleProperty1: 'user.department',
      ruleOperator1: 'eq',
      ruleValue1: 'Sales',
      ruleJoin2: 'and',
      ruleProperty2: 'user.accountEnabled',
      ruleOperator2: 'eq',
      ruleValue2: 'true',
    };
    const checked = await t.teams.click(requester, PERSONAL_REQUESTER, form.id, 'checkRule', typed);
    const text = cardText(checked.body.value);
    expect(text).toMatch(/This rule matches \d+ of the \d+ users/);
    expect(JSON.stringify(checked.body.value)).toContain('"value":"user.department -eq \\"Sales\\" -and user.accountEnabled -eq true"');
    const broken = await t.teams.click(requester, PERSONAL_REQUESTER, form.id, 'checkRule', { ...typed, ruleValue2: '' });
    expect(cardText(broken.body.value)).toMatch(/Row 2: give a value to compare user\.accountEnabled with/);
  });

  it('stops a creation when another group took the mail nickname after submission, so the bot makes no second one', async () => {
    const { id } = await submit({ displayName: 'Nickname race', members: 'alexw@contoso.com', justification: 'x' });
    const approval = await approvalCardOf(t.teams, id);
    // Meanwhile someone else makes a group with that nickname, straight through Graph.
    const credentials = createGraphCredentials({
      mode: 'app',
      tenantId: TENANT_ID,
      clientId: BOT_APP_ID,
      clientSecret: LOCAL_BOT_SECRET,
      authorityHost: t.directory.tokens.authorityHost,
      authorityCaPem: t.directory.tokens.caCertPem,
    });
    const portal = new GraphGroupWriter({ baseUrl: t.directory.graph.url, credential: credentials.app, identity: 'bot' });
    await portal.upsertGroup({
      uniqueName: 'made-elsewhere',
      displayName: 'Made elsewhere',
      mailNickname: 'Nickname-race',
      description: '',
      membershipType: 'assigned',
      ownerIds: [],
      memberIds: [],
    });
    await t.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'approveRequest', { requestId: id });
    await t.bot.settled();
    const stopped = await t.bot.service.get(id);
    expect(stopped?.status).toBe('failed');
    expect(stopped?.failure?.message).toMatch(/another group took the mail nickname Nickname-race, so the bot did not create a second one/);
    expect((await t.directory.graph.controls.groups()).filter((g) => g.mailNickname === 'Nickname-race')).toHaveLength(1);
  });

  it('refuses a mail nickname another open request already asks for', async () => {
    await submit({ displayName: 'Kiosk devices', members: 'alexw@contoso.com', justification: 'x' });
    const { answer } = await submit({ displayName: 'Kiosk devices', members: 'alexw@contoso.com', justification: 'again' });
    expect(cardText(answer.body.value)).toMatch(
      /Request [A-Z0-9]+ \("Kiosk devices"\) already asks for the mail nickname Kiosk-devices: choose another/,
    );
  });

  it('of ten parallel submissions with one mail nickname, one is stored and nine are told its id at once', async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        submit({ displayName: 'Parallel kiosks', members: 'alexw@contoso.com', justification: `try ${i}` }, notApprover),
      ),
    );
    const stored = answers.filter((answer) => answer.id !== undefined);
    expect(stored).toHaveLength(1);
    for (const refused of answers.filter((answer) => answer.id === undefined)) {
      expect(cardText(refused.answer.body.value)).toContain(`Request ${stored[0].id}`);
      expect(cardText(refused.answer.body.value)).toMatch(/already asks for the mail nickname Parallel-kiosks: choose another/);
    }
    const pending = (await t.bot.service.listPending(50)).filter((request) => request.spec.mailNickname === 'Parallel-kiosks');
    expect(pending.map((request) => request.id)).toEqual([stored[0].id]);
  });

  it('refuses a decision clearly when the directory cannot say who is an approver', async () => {
    const { id } = await submit({ displayName: 'Unverifiable', members: 'alexw@contoso.com', justification: 'x' });
    const approval = await approvalCardOf(t.teams, id);
    await t.directory.graph.controls.injectFault({
      status: 403,
      code: 'Authorization_RequestDenied',
      message: 'Insufficient privileges to complete the operation.',
      pathPrefix: `/users/${secondApprover.aadObjectId}/checkMemberGroups`,
      count: 5,
    });
    const clicked = await t.teams.click(secondApprover, APPROVALS_CHANNEL, approval.id, 'approveRequest', { requestId: id });
    await t.directory.graph.controls.clearFaults();
    expect(answerText(clicked)).toMatch(/Your approver rights could not be checked, so nothing was changed/);
    expect((await t.bot.service.get(id))?.status).toBe('submitted');
  });

  it("refuses a non-approver's click and the requester's own approval, leaving the request waiting", async () => {
    const { id } = await submit({ displayName: 'Refusals', members: 'megan.bowen@contoso.com', justification: 'x' }, approver);
    const approval = await approvalCardOf(t.teams, id);
    const stranger = await t.teams.click(notApprover, APPROVALS_CHANNEL, approval.id, 'approveRequest', { requestId: id });
    expect(answerText(stranger)).toMatch(/Only members of the group-request approvers group can decide/);
    const own = await t.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'approveRequest', { requestId: id });
    expect(cardText(own.body.value)).toMatch(/You asked for this group, so another approver must decide/);
    expect((await t.bot.service.get(id))?.status).toBe('submitted');
    const nested = await t.teams.click(
      { aadObjectId: NESTED_APPROVER.id, name: NESTED_APPROVER.displayName },
      APPROVALS_CHANNEL,
      approval.id,
      'rejectRequest',
      { requestId: id, rejectReason: 'Nested approvers count' },
    );
    expect(cardText(nested.body.value)).toMatch(/Rejected by Nestor Wilke/);
  });

  it('lets the first of two simultaneous approvals win and creates exactly one group', async () => {
    const { id } = await submit({ displayName: 'Double click', members: 'alexw@contoso.com', justification: 'x' });
    const approval = await approvalCardOf(t.teams, id);
    const answers = await Promise.all([
      t.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'approveRequest', { requestId: id }),
      t.teams.click(secondApprover, APPROVALS_CHANNEL, approval.id, 'approveRequest', { requestId: id }),
    ]);
    const texts = answers.map((a) => cardText(a.body.value));
    expect(texts.filter((x) => /This request is already/.test(x))).toHaveLength(1);
    await t.bot.settled();
    await groupNamed('Double click');
    expect((await t.directory.graph.controls.groups()).filter((g) => g.displayName === 'Double click')).toHaveLength(1);
  });

  it('rejects with a reason the requester reads, and needs one', async () => {
    const { form, id } = await submit({ displayName: 'To reject', members: 'alexw@contoso.com', justification: 'x' });
    const approval = await approvalCardOf(t.teams, id);
    const empty = await t.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'rejectRequest', { requestId: id, rejectReason: ' ' });
    expect(cardText(empty.body.value)).toMatch(/Say why the request is rejected/);
    await t.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'rejectRequest', {
      requestId: id,
      rejectReason: 'Use the existing Sales group',
    });
    await t.bot.settled();
    expect(cardText(card(t.teams.latest(form.id)))).toMatch(/Rejected by Adele Vance/);
    expect(cardText(card(t.teams.latest(form.id)))).toMatch(/Reason: Use the existing Sales group/);
    expect(
      t.teams.sent.some(
        (a) =>
          a.conversationId === PERSONAL_REQUESTER.id && /rejected by Adele Vance\. Reason: Use the existing Sales group/.test(a.text ?? ''),
      ),
    ).toBe(true);
    expect((await t.directory.graph.controls.groups()).some((g) => g.displayName === 'To reject')).toBe(false);
  });

  it('cancels a waiting request by command, and the approval card shows it', async () => {
    const { id } = await submit({ displayName: 'To cancel', members: 'alexw@contoso.com', justification: 'x' });
    const approval = await approvalCardOf(t.teams, id);
    const said = await t.teams.say(requester, PERSONAL_REQUESTER, `cancel ${id}`);
    expect(said.map((a) => a.text)).toEqual([`Request ${id} is cancelled.`]);
    await until('the approval card to say cancelled', () => /Cancelled by the requester/.test(cardText(card(t.teams.latest(approval.id)))));
    const late = await t.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'approveRequest', { requestId: id });
    expect(cardText(late.body.value)).toMatch(/already cancelled/);
  });

  it('answers the commands, and unknown text with help', async () => {
    const [mine] = await t.teams.say(requester, PERSONAL_REQUESTER, 'my requests');
    expect(cardText(card(mine))).toMatch(/Your requests[\s\S]*Sales laptops pilot: created/);
    const [pending] = await t.teams.say(notApprover, PERSONAL_REQUESTER, 'pending');
    expect(pending.text).toMatch(/Only members of the group-request approvers group/);
    const [pendingForApprover] = await t.teams.say(approver, PERSONAL_APPROVER, 'pending');
    expect(cardText(card(pendingForApprover))).toMatch(/Waiting for a decision/);
    const [takeOver] = await t.teams.say(
      notApprover,
      { id: '19:elsewhere@thread.tacv2', conversationType: 'channel' },
      'use this channel for approvals',
    );
    expect(takeOver.text).toMatch(/Only members of the group-request approvers group/);
    const [inChat] = await t.teams.say(approver, PERSONAL_APPROVER, 'use this channel for approvals');
    expect(inChat.text).toMatch(/Say this in the team channel/);
    const [help] = await t.teams.say(requester, PERSONAL_REQUESTER, 'make me a sandwich');
    expect(cardText(card(help))).toMatch(/I did not understand "make me a sandwich"[\s\S]*new group/);
  });

  it('tells a requester who asked in a channel in their personal chat', async () => {
    const teamChannel = { id: '19:general@thread.tacv2', conversationType: 'channel' as const };
    const [form] = await t.teams.say(requester, teamChannel, '<at>Entra Group Requests</at> new group');
    const answer = await t.teams.click(requester, teamChannel, form.id, 'submitRequest', {
      displayName: 'From a channel',
      members: 'alexw@contoso.com',
      justification: 'x',
    });
    const id = requestIdOf(answer.body.value);
    await t.teams.click(approver, APPROVALS_CHANNEL, (await approvalCardOf(t.teams, id)).id, 'rejectRequest', {
      requestId: id,
      rejectReason: 'Not now',
    });
    await until('a personal message', () =>
      t.teams.sent.find((a) => a.conversationId === personalChatOf(requester.aadObjectId) && /From a channel.*rejected/.test(a.text ?? '')),
    );
    expect(t.teams.sent.some((a) => a.conversationId === teamChannel.id && a.text)).toBe(false);
  });

  it('refuses people from another tenant', async () => {
    const outsider = { aadObjectId: REQUESTER.id, name: 'Outsider' };
    const channel = new (t.teams.constructor as any)(t.bot.url, '00000000-0000-0000-0000-000000000001');
    await channel.start();
    try {
      const [reply] = await channel.say(outsider, PERSONAL_REQUESTER, 'new group');
      expect(reply.text).toMatch(/serves one Microsoft Entra tenant only/);
    } finally {
      await channel.stop();
    }
  });
});
