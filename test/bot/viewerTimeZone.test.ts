import { REQUESTER } from '../../src/dev/fixtures/wellKnown';
import { PERSONAL_REQUESTER, startBotUnderTest, submitRequestForm, type BotUnderTest } from '../support/botUnderTest';
import { cardText, type TeamsUser } from '../support/teamsChannel';

/**
 * Teams says where its user is: `localTimezone` (IANA) and `locale` on the activity, and the
 * `clientInfo` entity's `timezone` and `locale`. A request's history and the requester's list
 * show each time in UTC and, next to it, in the zone of the person reading; a zone that is no
 * IANA zone leaves UTC alone.
 */

const requester: TeamsUser = { aadObjectId: REQUESTER.id, name: REQUESTER.displayName };

let t: BotUnderTest;
let requestId: string;
beforeAll(async () => {
  t = await startBotUnderTest('app');
  const { id } = await submitRequestForm(t.teams, requester, PERSONAL_REQUESTER, {
    preset: 'custom',
    displayName: 'Time zone readers',
    membershipType: 'assigned',
    members: 'alexw@contoso.com',
    justification: 'Reading times',
  });
  requestId = id;
});
afterAll(() => t.stop());

/** The card the bot answers `text` with, said from a client that reports `fields`. */
async function cardFor(text: string, fields: object): Promise<string> {
  const [reply] = await t.teams.say(requester, PERSONAL_REQUESTER, text, fields);
  return cardText(reply.attachments?.[0]?.content);
}

/** Every "YYYY-MM-DD HH:MM UTC" on a card, with what follows it on its line. */
function times(text: string): { utc: Date; rest: string }[] {
  return [...text.matchAll(/(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) UTC([^\n]*)/g)].map((m) => ({
    utc: new Date(`${m[1]}T${m[2]}:00Z`),
    rest: m[3],
  }));
}

const clock = (date: Date, offsetMinutes: number) => {
  const local = new Date(date.getTime() + offsetMinutes * 60_000);
  return `${String(local.getUTCHours()).padStart(2, '0')}:${String(local.getUTCMinutes()).padStart(2, '0')}`;
};

it("shows the history of 'status <id>' in the zone on the activity, next to UTC", async () => {
  const text = await cardFor(`status ${requestId}`, { localTimezone: 'Europe/Berlin', locale: 'en-GB' });
  expect(text).toContain('History');
  const shown = times(text);
  // The submission time, and each history entry.
  expect(shown.length).toBeGreaterThanOrEqual(2);
  for (const { utc, rest } of shown) expect(rest).toContain(`${clock(utc, 60)} Europe/Berlin)`);
});

it('reads the zone from the clientInfo entity when the activity does not carry one', async () => {
  const text = await cardFor(`status ${requestId}`, {
    entities: [{ type: 'clientInfo', locale: 'en-GB', country: 'IN', platform: 'Web', timezone: 'Asia/Kolkata' }],
  });
  const shown = times(text);
  expect(shown.length).toBeGreaterThanOrEqual(2);
  for (const { utc, rest } of shown) expect(rest).toContain(`${clock(utc, 330)} Asia/Kolkata)`);
});

it("shows the requester's list in their zone too", async () => {
  const text = await cardFor('my requests', { localTimezone: 'America/New_York', locale: 'en-US' });
  const [latest] = times(text);
  expect(latest.rest).toMatch(/\d{1,2}:\d{2}\s[AP]M America\/New_York\)/);
});

it('shows UTC alone for a zone that is no IANA zone, or none at all, and answers as usual', async () => {
  for (const fields of [{ localTimezone: 'Mars/Olympus_Mons', locale: 'en-GB' }, { localTimezone: '<b>Europe/Berlin</b>' }, {}]) {
    const text = await cardFor(`status ${requestId}`, fields);
    expect(text).toContain('Time zone readers');
    const shown = times(text);
    expect(shown.length).toBeGreaterThanOrEqual(2);
    for (const { rest } of shown) expect(rest).not.toMatch(/\(/);
  }
});
