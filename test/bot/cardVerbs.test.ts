import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CARD_VERBS } from '../../src/cards/cardTemplates';
import { APPROVER } from '../../src/dev/fixtures/wellKnown';
import { PERSONAL_APPROVER, startBotUnderTest, type BotUnderTest } from '../support/botUnderTest';
import type { TeamsUser } from '../support/teamsChannel';

/**
 * Every button of every card does something: each Action.Execute verb in adaptiveCards/*.json
 * (read from the files, so a verb added to a card tomorrow is checked too) has a route in the
 * running bot, and is one of the verbs the code names.
 */

const CARDS = join(__dirname, '..', '..', 'adaptiveCards');
const approver: TeamsUser = { aadObjectId: APPROVER.id, name: APPROVER.displayName };

function verbsIn(node: unknown, found: Map<string, string[]>, card: string): void {
  if (Array.isArray(node)) node.forEach((child) => verbsIn(child, found, card));
  else if (node && typeof node === 'object') {
    const { type, verb } = node as { type?: unknown; verb?: unknown };
    if (type === 'Action.Execute' && typeof verb === 'string') found.set(verb, [...(found.get(verb) ?? []), card]);
    Object.values(node).forEach((child) => verbsIn(child, found, card));
  }
}

const verbsOnCards = new Map<string, string[]>();
for (const file of readdirSync(CARDS).filter((name) => name.endsWith('.json'))) {
  verbsIn(JSON.parse(readFileSync(join(CARDS, file), 'utf8')), verbsOnCards, file);
}

let t: BotUnderTest;
beforeAll(async () => {
  t = await startBotUnderTest('app');
});
afterAll(() => t.stop());

it('finds the buttons of the cards', () => {
  expect(verbsOnCards.size).toBeGreaterThanOrEqual(5);
});

it('names every verb a card carries in CARD_VERBS, and carries every verb CARD_VERBS names', () => {
  const cardsOf = (verb: string) => ({ verb, cards: verbsOnCards.get(verb) ?? [] });
  expect([...verbsOnCards.keys()].filter((verb) => !(CARD_VERBS as readonly string[]).includes(verb)).map(cardsOf)).toEqual([]);
  expect(CARD_VERBS.filter((verb) => !verbsOnCards.has(verb))).toEqual([]);
});

it.each([...verbsOnCards.keys()])('answers a click on %s with its route, not "no handler"', async (verb) => {
  const answer = await t.teams.click(approver, PERSONAL_APPROVER, 'a-card-activity', verb, {});
  expect({ verb, status: answer.status }).toEqual({ verb, status: 200 });
  expect(answer.body?.value).toBeDefined();
});

it('answers a verb no card carries as unrouted, which is what the clicks above would get without a route', async () => {
  const answer = await t.teams.click(approver, PERSONAL_APPROVER, 'a-card-activity', 'notOnAnyCard', {});
  expect(answer.status).not.toBe(200);
});
