import { loadFixture } from '../../src/dev/graphEmulator';
import {
  APPROVER,
  DISABLED_USER,
  GLOBAL_ADMIN,
  INTUNE_ADMIN,
  NESTED_APPROVER,
  REQUESTER,
  TENANT_ID,
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
import {
  TeamsChannel,
  actionData,
  answerText,
  cardText,
  requestIdOf,
  type Conversation,
  type InvokeAnswer,
  type TeamsUser,
} from '../support/teamsChannel';

/**
 * What a hostile or careless person of the tenant can send to /api/messages, over real HTTP,
 * and the safe outcome each must meet.
 */

const requester: TeamsUser = { aadObjectId: REQUESTER.id, name: REQUESTER.displayName };
const approver: TeamsUser = { aadObjectId: APPROVER.id, name: APPROVER.displayName };
const secondApprover: TeamsUser = { aadObjectId: INTUNE_ADMIN.id, name: INTUNE_ADMIN.displayName };
const thirdApprover: TeamsUser = { aadObjectId: NESTED_APPROVER.id, name: NESTED_APPROVER.displayName };
/** A Global Administrator, but neither the requester nor an approver. */
const stranger: TeamsUser = { aadObjectId: GLOBAL_ADMIN.id, name: GLOBAL_ADMIN.displayName };
const STRANGERS_CHAT: Conversation = { id: 'a:personal-stranger', conversationType: 'personal' };

let t: BotUnderTest;
let names = 0;

beforeAll(async () => {
  t = await startBotUnderTest('app');
  await t.teams.say(approver, APPROVALS_CHANNEL, 'use this channel for approvals');
});
afterAll(() => t.stop());
afterEach(() => t.directory.graph.controls.clearFaults());

/** A display name no other test uses, so each request has its own mail nickname. */
function uniqueName(what: string): string {
  names += 1;
  return `${what} ${names}`;
}

async function submitted(values: Record<string, string>, who: TeamsUser = requester, where: Conversation = PERSONAL_REQUESTER) {
  const { answer, id, form } = await submitRequestForm(t.teams, who, where, {
    members: 'alexw@contoso.com',
    justification: 'A secret reason',
    ...values,
  });
  expect(id).toBeDefined();
  return { id, form, answer, approval: await approvalCardOf(t.teams, id) };
}

/** Everything the answer to a click shows, as one string. */
const shown = (answer: InvokeAnswer) => JSON.stringify(answer.body ?? '');

async function statusOf(id: string) {
  return (await t.bot.service.get(id))?.status;
}

describe('read rights come before anything is drawn', () => {
  it.each(['approveRequest', 'rejectRequest', 'retryRequest', 'cancelRequest'])(
    "answers %s with someone else's request id with the refusal only, never the request",
    async (verb) => {
      const displayName = uniqueName('Hidden payroll group');
      const { id, approval } = await submitted({
        displayName,
        members: 'alexw@contoso.com, lee.gu@contoso.com',
        justification: 'Payroll secrets',
      });
      const answer = await t.teams.click(stranger, STRANGERS_CHAT, approval.id, verb, { requestId: id, rejectReason: 'nosy' });
      expect(answer.status).toBe(200);
      const seen = shown(answer);
      expect(seen).not.toContain(displayName);
      expect(seen).not.toContain('Payroll secrets');
      expect(seen).not.toMatch(/alexw|lee\.gu|Alex Wilber/);
      expect(cardText(answer.body?.value)).toBe('');
      expect(answerText(answer)).toMatch(/^(Only members of the group-request approvers group|Only the person who asked)/);
      expect(await statusOf(id)).toBe('submitted');
    },
  );

  it('says the same of a request that does not exist and of one the person may not see', async () => {
    const { id } = await submitted({ displayName: uniqueName('Not for strangers') });
    const [theirs] = await t.teams.say(stranger, STRANGERS_CHAT, `status ${id}`);
    const [none] = await t.teams.say(stranger, STRANGERS_CHAT, 'status ZZZZZZZZZZZZZZZZ');
    expect(theirs.text).toBe(`I know of no request ${id} that you may see. Say "my requests" for yours.`);
    expect(none.text).toBe('I know of no request ZZZZZZZZZZZZZZZZ that you may see. Say "my requests" for yours.');
    expect(theirs.attachments ?? []).toHaveLength(0);
  });

  it('shows the request to its requester and to approvers', async () => {
    const displayName = uniqueName('Visible to its people');
    const { id } = await submitted({ displayName });
    const [mine] = await t.teams.say(requester, PERSONAL_REQUESTER, `status ${id}`);
    const [approvers] = await t.teams.say(approver, PERSONAL_APPROVER, `status ${id}`);
    expect(cardText(mine.attachments?.[0].content)).toContain(displayName);
    expect(cardText(approvers.attachments?.[0].content)).toContain(displayName);
  });
});

describe('request ids cannot be guessed', () => {
  it('gives every request 16 letters of a 32-letter alphabet (80 bits), typed in any case', async () => {
    const { id } = await submitted({ displayName: uniqueName('Long id') });
    expect(id).toMatch(/^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{16}$/);
    const [status] = await t.teams.say(requester, PERSONAL_REQUESTER, `status ${id.toLowerCase()}`);
    expect(cardText(status.attachments?.[0].content)).toContain(`Request: ${id}`);
    const [cancelled] = await t.teams.say(requester, PERSONAL_REQUESTER, `cancel ${id.toLowerCase()}`);
    expect(cancelled.text).toBe(`Request ${id} is cancelled.`);
  });

  it('still reads requests stored with the short ids of earlier versions', async () => {
    const { id } = await submitted({ displayName: uniqueName('Short id') });
    const stored = await t.bot.service.get(id);
    await t.bot.store.insert({ ...stored!, id: 'K7P2QX9N', version: 1, spec: { ...stored!.spec, mailNickname: 'old-short-id' } });
    const [status] = await t.teams.say(requester, PERSONAL_REQUESTER, 'status k7p2qx9n');
    expect(cardText(status.attachments?.[0].content)).toContain('Request: K7P2QX9N');
  });
});

describe('a form shared by several people, or used for several requests', () => {
  const GROUP_CHAT: Conversation = { id: '19:team-leads@unq.gbl.spaces', conversationType: 'groupChat' };
  const formIdOf = (form: { attachments?: { content: unknown }[] }) =>
    actionData(form.attachments?.[0].content, 'submitRequest').formId as string;
  const submitOn = (who: TeamsUser, formMessage: { id: string; attachments?: { content: unknown }[] }, values: Record<string, string>) =>
    t.teams.click(who, GROUP_CHAT, formMessage.id, 'submitRequest', {
      ...actionData(formMessage.attachments?.[0].content, 'submitRequest'),
      members: 'alexw@contoso.com',
      justification: 'x',
      ...values,
    });

  it('makes a request for each person who submits the same form message', async () => {
    const [form] = await t.teams.say(requester, GROUP_CHAT, '<at>Entra Group Requests</at> new group');
    const mine = await submitOn(requester, form, { displayName: uniqueName('Shared form Megan') });
    const theirs = await submitOn(stranger, form, { displayName: uniqueName('Shared form Patti') });
    const [a, b] = [requestIdOf(mine.body.value), requestIdOf(theirs.body.value)];
    expect(a).toBeDefined();
    expect(b).toBeDefined();
    expect(a).not.toBe(b);
    expect((await t.bot.service.get(a))?.requester.aadObjectId).toBe(requester.aadObjectId);
    expect((await t.bot.service.get(b))?.requester.aadObjectId).toBe(stranger.aadObjectId);
    expect(cardText(theirs.body.value)).not.toContain('Shared form Megan');
  });

  it('makes a new request for different content typed into the same form, and one request for the same content sent twice', async () => {
    const [form] = await t.teams.say(requester, GROUP_CHAT, '<at>Entra Group Requests</at> new group');
    const displayName = uniqueName('Same form first');
    const first = await submitOn(requester, form, { displayName });
    const again = await submitOn(requester, form, { displayName });
    const second = await submitOn(requester, form, { displayName: uniqueName('Same form second') });
    expect(requestIdOf(again.body.value)).toBe(requestIdOf(first.body.value));
    expect(requestIdOf(second.body.value)).not.toBe(requestIdOf(first.body.value));
  });

  it("trusts a form id for nothing else: someone sending another form's id gets their own request", async () => {
    const [form] = await t.teams.say(requester, PERSONAL_REQUESTER, 'new group');
    const mine = await t.teams.click(requester, PERSONAL_REQUESTER, form.id, 'submitRequest', {
      formId: formIdOf(form),
      displayName: uniqueName('Form id owner'),
      members: 'alexw@contoso.com',
      justification: 'x',
    });
    const [elsewhere] = await t.teams.say(stranger, STRANGERS_CHAT, 'new group');
    const forged = await t.teams.click(stranger, STRANGERS_CHAT, elsewhere.id, 'submitRequest', {
      formId: formIdOf(form),
      displayName: uniqueName('Form id thief'),
      members: 'alexw@contoso.com',
      justification: 'x',
    });
    expect(requestIdOf(forged.body.value)).not.toBe(requestIdOf(mine.body.value));
    expect(JSON.stringify(forged.body)).not.toContain('Form id owner');
  });

  it('gives each form opened from one help card its own id', async () => {
    const [help] = await t.teams.say(requester, PERSONAL_REQUESTER, 'help');
    const opened = await Promise.all([1, 2].map(() => t.teams.click(requester, PERSONAL_REQUESTER, help.id, 'openForm', {})));
    const ids = opened.map((answer) => actionData(answer.body.value, 'submitRequest').formId);
    expect(ids[0]).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(ids[1]).not.toBe(ids[0]);
  });
});

describe('a failed request is no trap', () => {
  /** The creation's first write to /groups answers this; POST today, PATCH for an upsert. */
  const failCreation = async (status: number, code: string, message: string) => {
    for (const method of ['POST', 'PATCH']) {
      await t.directory.graph.controls.injectFault({ status, code, message, method, pathPrefix: '/groups', count: 1 });
    }
  };

  async function failedRequest(displayName: string, status: number, code: string, message: string) {
    const submission = await submitted({ displayName });
    await failCreation(status, code, message);
    await t.teams.click(approver, APPROVALS_CHANNEL, submission.approval.id, 'approveRequest', { requestId: submission.id });
    await t.bot.settled();
    await t.directory.graph.controls.clearFaults();
    expect(await statusOf(submission.id)).toBe('failed');
    return submission;
  }

  it('lets an approver abandon a failed request: final, its nickname free again, the requester told', async () => {
    const displayName = uniqueName('Abandon me');
    const { id, approval, form } = await failedRequest(
      displayName,
      403,
      'Authorization_RequestDenied',
      'Insufficient privileges to complete the operation.',
    );
    expect(cardText(await t.teams.view(approver, APPROVALS_CHANNEL, approval.id))).toMatch(/\[Retry creation\][\s\S]*\[Abandon request\]/);

    const refused = await t.teams.click(stranger, STRANGERS_CHAT, approval.id, 'abandonRequest', { requestId: id });
    expect(answerText(refused)).toMatch(/^Only members of the group-request approvers group/);
    const cancelled = await t.teams.say(requester, PERSONAL_REQUESTER, `cancel ${id}`);
    expect(cancelled[0].text).toMatch(/already failed/);

    const answer = await t.teams.click(secondApprover, APPROVALS_CHANNEL, approval.id, 'abandonRequest', { requestId: id });
    expect(cardText(answer.body.value)).toMatch(/Abandoned by Lee Gu after the creation failed/);
    expect(cardText(answer.body.value)).not.toMatch(/\[Retry creation\]|\[Abandon request\]/);
    expect(await statusOf(id)).toBe('abandoned');
    await until('the requester to be told', () =>
      t.teams.sent.some(
        (a) => a.conversationId === PERSONAL_REQUESTER.id && /was abandoned by Lee Gu after its creation failed/.test(a.text ?? ''),
      ),
    );
    await until("the requester's card", () => /Abandoned by Lee Gu/.test(cardText(t.teams.latest(form.id)?.attachments?.[0].content)));
    const late = await t.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'retryRequest', { requestId: id });
    expect(cardText(late.body.value)).toMatch(/Only a failed creation can be retried; this request is abandoned/);

    // The same nickname may be asked for again at once.
    const again = await submitted({ displayName });
    expect(again.id).not.toBe(id);
  });

  it('says when Graph refuses the request for good, and offers only Abandon', async () => {
    const { id, approval } = await failedRequest(
      uniqueName('Refused for good'),
      400,
      'Request_BadRequest',
      "Invalid value specified for property 'membershipRule' of resource 'Group'.",
    );
    expect((await t.bot.service.get(id))?.failure).toMatchObject({ code: 'Request_BadRequest', permanent: true });
    const text = cardText(await t.teams.view(approver, APPROVALS_CHANNEL, approval.id));
    expect(text).toMatch(/Invalid value specified for property 'membershipRule'[\s\S]*Retrying cannot fix this/);
    expect(text).toMatch(/\[Abandon request\]/);
    expect(text).not.toMatch(/\[Retry creation\]/);
  });

  it('makes the approver who retries the owner the bot adds, not the one who approved first', async () => {
    const displayName = uniqueName('Retried by another');
    const { id, approval } = await failedRequest(
      displayName,
      403,
      'Authorization_RequestDenied',
      'Insufficient privileges to complete the operation.',
    );
    await t.teams.click(thirdApprover, APPROVALS_CHANNEL, approval.id, 'retryRequest', { requestId: id });
    await t.bot.settled();
    expect(await statusOf(id)).toBe('created');
    const [group] = (await t.directory.graph.controls.groups()).filter((g) => g.displayName === displayName);
    expect(group.owners).toContain(thirdApprover.aadObjectId);
    expect(group.owners).not.toContain(approver.aadObjectId);
  });
});

describe('invisible and control characters', () => {
  const formOf = (answer: InvokeAnswer) => JSON.stringify(answer.body.value);

  it('refuses a display name made only of zero-width characters, next to the name, keeping it', async () => {
    const { answer, id } = await submitRequestForm(t.teams, requester, PERSONAL_REQUESTER, {
      displayName: '\u200B\u200C\u200D\uFEFF\u2060',
      mailNickname: 'invisible-name',
      members: 'alexw@contoso.com',
      justification: 'x',
    });
    expect(id).toBeUndefined();
    expect(cardText(answer.body.value)).toMatch(/Give the group a name people can read: this one is made only of invisible characters/);
    expect(formOf(answer)).toContain('"value":"\u200B\u200C\u200D\uFEFF\u2060"');
  });

  it.each([
    ['displayName', 'Pilot\u0000group', /control character \(U\+0000\) at character 6/],
    ['displayName', 'Pilot\u0007group', /control character \(U\+0007\)/],
    ['displayName', 'Invoice\u202Etxt.exe', /text-direction control \(U\+202E\)/],
    ['description', 'Isolated \u2067text\u2069', /text-direction control \(U\+2067\)/],
    ['justification', 'Broken \uD800 pair', /broken character/],
    ['members', 'alexw@contoso.com\u007F', /control character \(U\+007F\)/],
    ['displayName', 'Two\nlines', /line break or tab/],
  ])('refuses %s with %j next to the field, keeping what was typed', async (field, typed, message) => {
    const values: Record<string, string> = {
      displayName: uniqueName('Hygiene'),
      mailNickname: `hygiene-${names}`,
      members: 'alexw@contoso.com',
      justification: 'x',
    };
    values[field] = typed;
    const { answer, id } = await submitRequestForm(t.teams, requester, PERSONAL_REQUESTER, values);
    expect(id).toBeUndefined();
    expect(cardText(answer.body.value)).toMatch(message);
    expect(formOf(answer)).toContain(JSON.stringify(typed).slice(1, -1));
  });

  it('accepts a lookalike of an existing group but warns the approver of it', async () => {
    const { approval } = await submitted({ displayName: 'Group Request Approvers\u200B', mailNickname: 'gra-lookalike' });
    const text = cardText(approval.attachments?.[0].content);
    expect(text).toMatch(/This name reads the same as the existing group "Group Request Approvers" \(object id [0-9a-f-]{36}\)/);
    const fullWidth = await submitted({ displayName: 'ＧＲＯＵＰ request approvers', mailNickname: 'gra-fullwidth' });
    expect(cardText(fullWidth.approval.attachments?.[0].content)).toMatch(/reads the same as the existing group "Group Request Approvers"/);
    const plain = await submitted({ displayName: uniqueName('Nothing like it') });
    expect(cardText(plain.approval.attachments?.[0].content)).not.toMatch(/reads the same|already exists/);
  });

  it('refuses a reject reason of invisible characters, or one that reorders text', async () => {
    const { id, approval } = await submitted({ displayName: uniqueName('Reject reasons') });
    const blank = await t.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'rejectRequest', {
      requestId: id,
      rejectReason: '\u200B \u200B\uFEFF',
    });
    expect(cardText(blank.body.value)).toMatch(/Say why the request is rejected/);
    const reordered = await t.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'rejectRequest', {
      requestId: id,
      rejectReason: 'Denied \u202Edegnahc',
    });
    expect(cardText(reordered.body.value)).toMatch(
      /The reason cannot be sent as it is\. This contains a text-direction control \(U\+202E\)/,
    );
    expect(await statusOf(id)).toBe('submitted');
  });
});

describe('the approver sees who would own and join the group', () => {
  const harmless = loadFixture().users.filter(
    (u) =>
      u.userType === 'Member' && u.accountEnabled && ![GLOBAL_ADMIN.id, APPROVER.id, INTUNE_ADMIN.id, NESTED_APPROVER.id].includes(u.id),
  );

  it('lists every owner in full, even behind 25 harmless ones, and flags the Global Administrator among them', async () => {
    const owners = [...harmless.slice(0, 25).map((u) => u.userPrincipalName), GLOBAL_ADMIN.userPrincipalName];
    const { approval } = await submitted({ displayName: uniqueName('Hidden owner'), owners: owners.join(', ') });
    const text = cardText(approval.attachments?.[0].content);
    const ownersFact = text.split('\n').find((line) => line.startsWith('Owners: ')) ?? '';
    for (const upn of owners) expect(ownersFact).toContain(`(${upn})`);
    expect(ownersFact).not.toMatch(/more/);
    expect(ownersFact).toContain('Patti Fernandez (patti.fernandez@contoso.com) [Global Administrator]');
    expect(text).toMatch(
      /Look twice: guests, disabled accounts and directory-role holders\n1: Patti Fernandez \(patti\.fernandez@contoso\.com\) \[Global Administrator\] as owner/,
    );
  });

  it('flags a guest, a disabled account and a role holder among members, wherever they sit in a long list', async () => {
    const members = [
      ...harmless.slice(0, 26).map((u) => u.userPrincipalName),
      'kwame.mensah@fabrikam.com',
      DISABLED_USER.userPrincipalName,
      NESTED_APPROVER.userPrincipalName,
    ];
    const { approval, id } = await submitted({ displayName: uniqueName('Hidden members'), members: members.join('\n') });
    const text = cardText(approval.attachments?.[0].content);
    expect(text).toMatch(/…and \d+ more/);
    const flagged = text.slice(text.indexOf('Look twice'));
    expect(flagged).toMatch(/^Look twice[^\n]*\n3: /);
    expect(flagged).toContain('Kwame Mensah (Fabrikam) (kwame.mensah@fabrikam.com) [guest] as member');
    expect(flagged).toContain('Grady Archie (grady.archie@contoso.com) [disabled account] as member');
    expect(flagged).toContain('Nestor Wilke (nestor.wilke@contoso.com) [Groups Administrator] as member');
    const stored = await t.bot.service.get(id);
    expect(stored?.members.find((m) => m.reference === 'kwame.mensah@fabrikam.com')).toMatchObject({ guest: true });
  });

  it('says so when the directory roles cannot be read, and still takes the request', async () => {
    await t.directory.graph.controls.injectFault({
      status: 403,
      code: 'Authorization_RequestDenied',
      message: 'Insufficient privileges to complete the operation.',
      target: 'batchPart',
      pathPrefix: '/users/',
      count: 100,
    });
    try {
      const { approval } = await submitted({ displayName: uniqueName('Roles unknown'), members: 'alexw@contoso.com' });
      expect(cardText(approval.attachments?.[0].content)).toMatch(/Directory roles could not be checked: .*User\.Read\.All/);
    } finally {
      await t.directory.graph.controls.clearFaults();
    }
  });
});

describe('what was correctly refused stays refused', () => {
  it('refuses self-approval, also when the activity spells the object id in capitals', async () => {
    const { id, approval } = await submitted({ displayName: uniqueName('Self approval') }, approver, PERSONAL_APPROVER);
    for (const aadObjectId of [approver.aadObjectId, approver.aadObjectId.toUpperCase()]) {
      const answer = await t.teams.click({ aadObjectId, name: approver.name }, APPROVALS_CHANNEL, approval.id, 'approveRequest', {
        requestId: id,
      });
      expect(cardText(answer.body.value)).toMatch(/You asked for this group, so another approver must decide on it/);
    }
    const rejected = await t.teams.click(
      { aadObjectId: approver.aadObjectId.toUpperCase(), name: approver.name },
      APPROVALS_CHANNEL,
      approval.id,
      'rejectRequest',
      { requestId: id, rejectReason: 'mine' },
    );
    expect(cardText(rejected.body.value)).toMatch(/You asked for this group/);
    expect(await statusOf(id)).toBe('submitted');
  });

  it('refuses decisions by people who are not approvers', async () => {
    const { id, approval } = await submitted({ displayName: uniqueName('Non approver') });
    for (const verb of ['approveRequest', 'rejectRequest']) {
      const answer = await t.teams.click(stranger, APPROVALS_CHANNEL, approval.id, verb, { requestId: id, rejectReason: 'no' });
      expect(answerText(answer)).toMatch(/Only members of the group-request approvers group can decide on requests/);
    }
    expect(await statusOf(id)).toBe('submitted');
  });

  it('refuses people of another tenant, in messages and card actions', async () => {
    const { id, approval } = await submitted({ displayName: uniqueName('Other tenant') });
    const elsewhere = new TeamsChannel(t.bot.url, '00000000-0000-0000-0000-0000000000aa');
    await elsewhere.start();
    try {
      const clicked = await elsewhere.click(approver, APPROVALS_CHANNEL, approval.id, 'approveRequest', { requestId: id });
      expect(shown(clicked)).toMatch(/serves one Microsoft Entra tenant only/);
      const [said] = await elsewhere.say(approver, PERSONAL_APPROVER, `status ${id}`);
      expect(said.text).toMatch(/serves one Microsoft Entra tenant only/);
    } finally {
      await elsewhere.stop();
    }
    expect(await statusOf(id)).toBe('submitted');
  });

  it('ignores forged card fields: the requester, the status and the tenant come from the activity and the store', async () => {
    const displayName = uniqueName('Forged fields');
    const { id, approval } = await submitted({
      displayName,
      requester: JSON.stringify(approver),
      status: 'approved',
      tenantId: '00000000-0000-0000-0000-0000000000aa',
      approver: JSON.stringify(secondApprover),
    } as Record<string, string>);
    const stored = await t.bot.service.get(id);
    expect(stored).toMatchObject({ status: 'submitted', requester: { aadObjectId: requester.aadObjectId }, tenantId: TENANT_ID });
    expect(stored?.approver).toBeUndefined();
    // A forged actor in an approval's data changes nothing: the clicker is who Teams says.
    const answer = await t.teams.click(stranger, APPROVALS_CHANNEL, approval.id, 'approveRequest', {
      requestId: id,
      actor: approver,
      from: approver,
      aadObjectId: approver.aadObjectId,
    });
    expect(shown(answer)).toMatch(/Only members of the group-request approvers group/);
    expect(await statusOf(id)).toBe('submitted');
  });

  it('answers an unknown verb without acting on anything', async () => {
    const { id, approval } = await submitted({ displayName: uniqueName('Unknown verb') });
    const answer = await t.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'deleteEverything', { requestId: id });
    expect(answer.status).not.toBe(200);
    expect(shown(answer)).not.toContain('A secret reason');
    expect(await statusOf(id)).toBe('submitted');
  });

  it('shows template expressions in user text as typed, never evaluated', async () => {
    const displayName = uniqueName('${requester} ${string(1+1)}');
    const { approval } = await submitted({ displayName, justification: '${if(true, "evaluated", "x")} ${approver.name}' });
    const text = cardText(approval.attachments?.[0].content);
    expect(text).toContain(displayName);
    expect(text).toContain('${if(true, "evaluated", "x")} ${approver.name}');
  });

  it('escapes OData in member names: a quote cannot change the directory query', async () => {
    const { answer } = await submitRequestForm(t.teams, requester, PERSONAL_REQUESTER, {
      displayName: uniqueName('OData injection'),
      members: "x')or(userType@contoso.com, a'or'1@contoso.com",
      justification: 'x',
    });
    expect(cardText(answer.body.value)).toContain("No user in the directory is called x')or(userType@contoso.com, a'or'1@contoso.com.");
    const filters = (await t.directory.graph.controls.requests())
      .flatMap((r) => [r.url, ...(r.batchParts ?? []).map((part) => part.url)])
      .map((url) => decodeURIComponent(url))
      .filter((url) => url.includes("a''or''1@contoso.com"));
    expect(filters.length).toBeGreaterThan(0);
  });

  it('makes one group from 20 approvals at once', async () => {
    const displayName = uniqueName('Twenty clicks');
    const { id, approval } = await submitted({ displayName });
    const approvers = [approver, secondApprover, thirdApprover];
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.teams.click(approvers[i % 3], APPROVALS_CHANNEL, approval.id, 'approveRequest', { requestId: id }),
      ),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    await t.bot.settled();
    await until('the group', async () => (await statusOf(id)) === 'created');
    expect((await t.directory.graph.controls.groups()).filter((g) => g.displayName === displayName)).toHaveLength(1);
    expect((await t.bot.service.get(id))?.audit.filter((a) => a.to === 'approved')).toHaveLength(1);
  });

  it('lets the first of an approval and a rejection at once win', async () => {
    const displayName = uniqueName('Approve and reject');
    const { id, approval } = await submitted({ displayName });
    const [approved, rejected] = await Promise.all([
      t.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'approveRequest', { requestId: id }),
      t.teams.click(secondApprover, APPROVALS_CHANNEL, approval.id, 'rejectRequest', { requestId: id, rejectReason: 'Not now' }),
    ]);
    await t.bot.settled();
    const final = await t.bot.service.get(id);
    const decisions = final?.audit.filter((a) => a.to === 'approved' || a.to === 'rejected') ?? [];
    expect(decisions).toHaveLength(1);
    const groups = (await t.directory.graph.controls.groups()).filter((g) => g.displayName === displayName);
    if (decisions[0].to === 'rejected') {
      expect(groups).toHaveLength(0);
      expect(cardText(approved.body.value)).toMatch(/already rejected by Lee Gu/);
    } else {
      expect(groups).toHaveLength(1);
      expect(cardText(rejected.body.value)).toMatch(/This request is already (approved|being created|created) by Adele Vance/);
    }
  });
});
