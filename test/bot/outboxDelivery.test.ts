import { APPROVER, REQUESTER } from '../../src/dev/fixtures/wellKnown';
import { APPROVALS_CHANNEL, PERSONAL_REQUESTER, startBotUnderTest, submitRequestForm, type BotUnderTest } from '../support/botUnderTest';
import { cardText, requestIdOf, teamsUser } from '../support/teamsChannel';
import { sampleRequest } from '../storage/sampleRequest';

const requester = teamsUser(REQUESTER);
const approver = teamsUser(APPROVER);

let t: BotUnderTest;
beforeEach(async () => {
  t = await startBotUnderTest('app');
});
afterEach(() => t.stop());

describe('card updates and notices go through the outbox', () => {
  it('edits the form message for every viewer after a fast submit', async () => {
    await t.teams.say(approver, APPROVALS_CHANNEL, 'use this channel for approvals');
    const { form, answer } = await submitRequestForm(t.teams, requester, PERSONAL_REQUESTER, {
      displayName: 'Edited form',
      members: 'alexw@contoso.com',
      justification: 'x',
    });
    expect(cardText(answer.body.value)).toMatch(/Submitted, waiting for approval/);
    await t.bot.settled();
    expect(t.teams.updatesOf(form.id)).toBeGreaterThanOrEqual(1);
    // Another device, a reload, another person in the chat: they see the message as last edited.
    const seenByEveryone = t.teams.latest(form.id)?.attachments?.[0].content;
    expect(cardText(seenByEveryone)).toMatch(/Submitted, waiting for approval/);
    expect(requestIdOf(seenByEveryone)).toBe(requestIdOf(answer.body.value));
  });

  it('posts all of 100 waiting requests once a channel is chosen, paced so Teams never throttles, none logged as failed', async () => {
    const waiting = Array.from({ length: 100 }, (_, i) => ({ ...sampleRequest(), id: `WAIT${String(i).padStart(4, '0')}` }));
    for (const request of waiting) await t.bot.store.insert(request);

    const [reply] = await t.teams.say(approver, APPROVALS_CHANNEL, 'use this channel for approvals');
    expect(reply.text).toMatch(/100 waiting requests are posted now/);
    await t.bot.settled();

    const posted = t.teams.cardsIn(APPROVALS_CHANNEL.id).map((a) => requestIdOf(a.attachments?.[0].content));
    expect(new Set(posted)).toEqual(new Set(waiting.map((r) => r.id)));
    expect(posted).toHaveLength(100);
    for (const request of waiting) expect((await t.bot.store.get(request.id))?.cards.approvalActivityId).toBeTruthy();
    // The bot's own reply and the cards are paced together under Teams' rates: none is refused.
    expect(t.teams.refused.filter((r) => r.status === 429)).toEqual([]);
    const failures = t.logLines.map((line) => JSON.parse(line)).filter((entry) => entry.level >= 40);
    expect(failures).toEqual([]);
  }, 180_000);
});
