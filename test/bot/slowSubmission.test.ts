import { APPROVER, REQUESTER } from '../../src/dev/fixtures/wellKnown';
import {
  APPROVALS_CHANNEL,
  PERSONAL_REQUESTER,
  approvalCardOf,
  startBotUnderTest,
  until,
  type BotUnderTest,
} from '../support/botUnderTest';
import { cardText, requestIdOf, teamsUser } from '../support/teamsChannel';

const requester = teamsUser(REQUESTER);

let t: BotUnderTest;
beforeAll(async () => {
  // Teams gives up on a card action after seconds; here the bot may take only 200 ms to answer.
  t = await startBotUnderTest('app', { SUBMIT_ANSWER_WITHIN_MS: '200' });
  await t.teams.say({ aadObjectId: APPROVER.id, name: APPROVER.displayName }, APPROVALS_CHANNEL, 'use this channel for approvals');
});
afterAll(() => t.stop());
afterEach(() => t.directory.graph.controls.clearFaults());

/** The directory answers name look-ups slowly, as a tenant does for thousands of names. */
const slowNames = () => t.directory.graph.controls.injectFault({ delayMs: 1500, method: 'POST', pathPrefix: '/$batch', count: 2 });

describe('a submission that takes longer than Teams waits', () => {
  it('answers "checking" at once, then turns the form into the status card and posts the approval card', async () => {
    const [form] = await t.teams.say(requester, PERSONAL_REQUESTER, 'new group');
    await slowNames();
    const values = { displayName: 'Many names', members: 'alexw@contoso.com, joni.sherman@contoso.com', justification: 'x' };
    const answer = await t.teams.click(requester, PERSONAL_REQUESTER, form.id, 'submitRequest', values);
    expect(cardText(answer.body.value)).toMatch(/Many names\nChecking 2 names in the directory…/);

    const updated = await until('the form to show the outcome', () => {
      const text = cardText(t.teams.latest(form.id)?.attachments?.[0].content);
      return /Submitted, waiting for approval/.test(text) ? text : undefined;
    });
    await approvalCardOf(t.teams, requestIdOf(t.teams.latest(form.id)?.attachments?.[0].content));
    expect(updated).toMatch(/Many names/);
  });

  it('puts the errors on the form, with what was typed, when the check finds problems', async () => {
    const [form] = await t.teams.say(requester, PERSONAL_REQUESTER, 'new group');
    await slowNames();
    const values = { displayName: 'Ghost names', members: 'ghost@contoso.com', justification: 'x' };
    const answer = await t.teams.click(requester, PERSONAL_REQUESTER, form.id, 'submitRequest', values);
    expect(cardText(answer.body.value)).toMatch(/Checking 1 names/);
    await until('the form to come back with the error', () =>
      /No user in the directory is called ghost@contoso\.com/.test(cardText(t.teams.latest(form.id)?.attachments?.[0].content)),
    );
    expect(JSON.stringify(t.teams.latest(form.id)?.attachments?.[0].content)).toContain('"value":"ghost@contoso.com"');
  });

  it('brings the form back filled from the "checking" card', async () => {
    const [form] = await t.teams.say(requester, PERSONAL_REQUESTER, 'new group');
    await slowNames();
    const values = { displayName: 'Back again', members: 'alexw@contoso.com', justification: 'kept' };
    const answer = await t.teams.click(requester, PERSONAL_REQUESTER, form.id, 'submitRequest', values);
    const back = answer.body.value.actions.find((a: { title: string }) => a.title === 'Back to the form');
    const reopened = await t.teams.click(requester, PERSONAL_REQUESTER, form.id, back.verb, back.data);
    const json = JSON.stringify(reopened.body.value);
    expect(cardText(reopened.body.value)).toMatch(/Request a security group/);
    for (const value of Object.values(values)) expect(json).toContain(`"value":"${value}"`);
    await t.bot.settled();
  });
});
