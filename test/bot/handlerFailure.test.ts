import { REQUESTER } from '../../src/dev/fixtures/wellKnown';
import { PERSONAL_REQUESTER, startBotUnderTest, submitRequestForm, type BotUnderTest } from '../support/botUnderTest';
import { teamsUser } from '../support/teamsChannel';

const requester = teamsUser(REQUESTER);

let t: BotUnderTest;
beforeAll(async () => {
  t = await startBotUnderTest('app');
});
afterAll(() => t.stop());

describe('a click whose handler fails', () => {
  it('is answered with the protocol error body, in words, instead of nothing', async () => {
    const { form, id } = await submitRequestForm(t.teams, requester, PERSONAL_REQUESTER, {
      displayName: 'Store goes away',
      members: 'alexw@contoso.com',
      justification: 'x',
    });
    await t.bot.settled();
    // The store becoming unreadable is what a lost disk or database looks like to the handler.
    await t.bot.store.close();
    const answer = await t.teams.click(requester, PERSONAL_REQUESTER, form.id, 'cancelRequest', { requestId: id });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      statusCode: 500,
      type: 'application/vnd.microsoft.error',
      value: { code: 'InternalServerError', message: expect.stringMatching(/^Something went wrong on my side; nothing was changed/) },
    });
  });
});
