import { APPROVER, REQUESTER } from '../../src/dev/fixtures/wellKnown';
import { startLocalDirectory, type LocalDirectory } from '../../src/dev/localDirectory';
import {
  APPROVALS_CHANNEL,
  PERSONAL_REQUESTER,
  approvalCardOf,
  startBotUnderTest,
  until,
  type BotUnderTest,
} from '../support/botUnderTest';
import { directoryWithPeople } from '../support/largeDirectory';
import { cardText, personalChatOf, renderedText, requestIdOf, teamsUser } from '../support/teamsChannel';
import { MAX_MESSAGE_BYTES, utf16Bytes } from '../support/connectorLimits';

const requester = teamsUser(REQUESTER);
const approver = teamsUser(APPROVER);
/** Teams refuses a bot message over 100 KB as UTF-16. */
const { fixture, principalNames } = directoryWithPeople(5000);

let directory: LocalDirectory;
let t: BotUnderTest;
beforeAll(async () => {
  directory = await startLocalDirectory({ fixture });
  // Thousands of names take longer than this: the submission answers "checking" first.
  t = await startBotUnderTest('app', { SUBMIT_ANSWER_WITHIN_MS: '300' }, directory);
  await t.teams.say(approver, APPROVALS_CHANNEL, 'use this channel for approvals');
}, 60_000);
afterAll(async () => {
  await t.stop();
  await directory.stop();
});

/** Every activity the bot sent Teams, and every invoke answer, fits Teams' limit without being shortened. */
function expectAllUnderTheLimit(answers: { body: unknown }[]) {
  expect(Math.max(...t.teams.sent.map((s) => s.utf16Bytes))).toBeLessThan(MAX_MESSAGE_BYTES);
  for (const answer of answers) expect(utf16Bytes(JSON.stringify(answer.body))).toBeLessThan(MAX_MESSAGE_BYTES);
  const everything = JSON.stringify([t.teams.sent, answers]);
  expect(everything).not.toContain('Shortened to fit in Teams');
}

const submitAction = (card: any) => card.actions.find((a: { verb?: string }) => a.verb === 'submitRequest');

describe('a request for 5,000 members', () => {
  it('keeps every card under 100 KB, from "checking" to created, and the requester ends on the status card', async () => {
    const [form] = await t.teams.say(requester, PERSONAL_REQUESTER, 'new group');
    const values = {
      displayName: 'Everyone in the pilot',
      members: principalNames.join('\n'),
      justification: 'The whole pilot population',
    };
    const answer = await t.teams.click(requester, PERSONAL_REQUESTER, form.id, 'submitRequest', values);
    expect(cardText(answer.body.value)).toMatch(/Checking 5,000 names in the directory/);
    // The checking card holds only ids: what was typed is in a draft on the server.
    expect(utf16Bytes(JSON.stringify(answer.body))).toBeLessThan(5 * 1024);
    const back = answer.body.value.actions.find((a: { title: string }) => a.title === 'Back to the form');
    const reopened = await t.teams.click(requester, PERSONAL_REQUESTER, form.id, back.verb, back.data);
    expect(cardText(reopened.body.value)).toContain('Your list of 5,000 names is kept with this form');
    expect(JSON.stringify(reopened.body.value)).toContain('"value":"Everyone in the pilot"');

    const status = await until('the form to show the outcome', () => {
      const card = t.teams.latest(form.id)?.attachments?.[0].content;
      return /Submitted, waiting for approval/.test(cardText(card)) ? card : undefined;
    });
    expect(cardText(status)).toContain('Membership: Assigned, 5,000 members');
    const id = requestIdOf(status);
    const approval = await approvalCardOf(t.teams, id);
    const approvalText = cardText(approval.attachments?.[0].content);
    expect(approvalText).toContain('Person 25 (person25@contoso.com) …and 4,975 more');
    expect(approvalText).toContain(`say "status ${id}" to me in a personal chat`);

    const decision = await t.teams.click(approver, APPROVALS_CHANNEL, approval.id, 'approveRequest', { requestId: id });
    await t.bot.settled();
    await until('the requester card to show the created group', () =>
      /Created, approved by/.test(cardText(t.teams.latest(form.id)?.attachments?.[0].content)),
    );
    const group = (await directory.graph.controls.groups()).find((g) => g.displayName === 'Everyone in the pilot');
    expect(group?.members).toHaveLength(5000);
    expectAllUnderTheLimit([answer, reopened, decision]);

    // The full list is one "status" away: asked in the channel, it is answered in a personal chat.
    const inChannel = await t.teams.say(approver, APPROVALS_CHANNEL, `<at>Group Requests</at> status ${id}`);
    expect(inChannel.map((a) => a.text)).toEqual(['I answered you in our personal chat.']);
    const personal = await until('the answer in the personal chat', () => {
      const there = t.teams.sent.filter((a) => a.conversationId === personalChatOf(APPROVER.id));
      return there.length >= 11 ? there : undefined;
    });
    expect(cardText(personal[0].attachments?.[0].content)).toContain('Membership: Assigned, 5,000 members');
    const listed = personal
      .slice(1)
      .map((a) => renderedText(a.text ?? ''))
      .join('\n');
    expect(listed).toContain('Members of "Everyone in the pilot" (request');
    expect(listed).toContain('4,501–5,000 of 5,000');
    for (const name of principalNames) expect(listed).toContain(`(${name})`);
    expectAllUnderTheLimit([]);
  }, 120_000);

  it('shows the form again with a few unknown names named and all counted, keeping the list in a draft until it is replaced', async () => {
    const [form] = await t.teams.say(requester, PERSONAL_REQUESTER, 'new group');
    const ghosts = Array.from({ length: 40 }, (_, i) => `ghost${i}@contoso.com`);
    const values = { displayName: 'Pilot with ghosts', members: [...principalNames, ...ghosts].join('\n'), justification: 'Pilot' };
    const answers: { body: any }[] = [];
    /** Submits on the form's message; the card the requester then sees, once any "checking" has passed. */
    const submitted = async (data: object) => {
      const before = t.teams.latest(form.id);
      const answer = await t.teams.click(requester, PERSONAL_REQUESTER, form.id, 'submitRequest', data);
      answers.push(answer);
      if (!/Checking/.test(cardText(answer.body.value))) return answer.body.value;
      return until('the checked outcome', () => {
        const latest = t.teams.latest(form.id);
        return latest !== before ? latest?.attachments?.[0].content : undefined;
      });
    };

    const shown = await submitted(values);
    const text = cardText(shown);
    expect(text).toContain('No user in the directory is called ghost0@contoso.com, ghost1@contoso.com');
    expect(text).toContain('ghost24@contoso.com …and 15 more.');
    expect(text).toContain('Your list of 5,040 names is kept with this form');
    expect(JSON.stringify(shown)).not.toContain('person1@contoso.com');

    // Submitted again with the box left empty, the kept list is checked again: the same names are unknown.
    const shownAgain = await submitted({ ...values, members: '', ...submitAction(shown).data });
    expect(cardText(shownAgain)).toContain('ghost24@contoso.com …and 15 more.');
    // Names typed into the box replace the kept list.
    const status = await submitted({ ...values, members: 'alexw@contoso.com', ...submitAction(shownAgain).data });
    expect(cardText(status)).toMatch(/Submitted, waiting for approval[\s\S]*Membership: Assigned, 1 member\n/);
    await t.bot.settled();
    expectAllUnderTheLimit(answers);
  }, 120_000);
});
