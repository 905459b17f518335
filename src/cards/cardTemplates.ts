import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as ACData from 'adaptivecards-templating';

/** An Adaptive Card, ready to send. */
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  [key: string]: unknown;
}

export const CARD_NAMES = [
  'requestForm',
  'requestChecking',
  'requestStatus',
  'approvalRequest',
  'help',
  'requestList',
  'requestExpired',
] as const;
export type CardName = (typeof CARD_NAMES)[number];

/**
 * Every Action.Execute verb the cards in adaptiveCards/ carry. bot/cardActionRoutes.ts routes
 * exactly these (test/bot/cardVerbs.test.ts reads the card files to keep the two in step).
 */
export const CARD_VERBS = [
  'openForm',
  'changeFormShape',
  'submitRequest',
  'checkRule',
  'applyRuleFix',
  'cancelRequest',
  'approveRequest',
  'rejectRequest',
  'retryRequest',
  'abandonRequest',
  'requestAgain',
] as const;
export type CardVerb = (typeof CARD_VERBS)[number];

// Templates sit at the package root, whether this runs from src/ or from the compiled dist/src/.
const PACKAGE_ROOT = join(__dirname, '..', '..', ...(basename(join(__dirname, '..', '..')) === 'dist' ? ['..'] : []));
const TEMPLATE_DIR = join(PACKAGE_ROOT, 'adaptiveCards');
const templates = new Map<CardName, ACData.Template>();

function template(name: CardName): ACData.Template {
  let loaded = templates.get(name);
  if (!loaded) {
    const path = join(TEMPLATE_DIR, `${name}.json`);
    loaded = new ACData.Template(JSON.parse(readFileSync(path, 'utf8')));
    templates.set(name, loaded);
  }
  return loaded;
}

/** Cards drawn lately, by template and data: one request's card is drawn again and again as it moves. */
const DRAWN_KEPT = 200;
/** Data longer than this as JSON (a form holding thousands of names) is drawn each time rather than kept. */
const LONGEST_KEPT = 16_384;
const drawn = new Map<string, string>();

/**
 * Fills a template from adaptiveCards/ with data (plain JSON values); the data is all the card
 * knows. Filling one costs a millisecond of the event loop (every expression is evaluated anew),
 * and the same card is drawn several times in a row: the answer to a click, the edit of the
 * channel's message, the edit after the answer. A card drawn from the same data lately is kept
 * as JSON and read back, so every caller gets a card of its own to change.
 */
export function renderCard(name: CardName, data: object): AdaptiveCard {
  const key = `${name} ${JSON.stringify(data)}`;
  const known = drawn.get(key);
  if (known !== undefined) return JSON.parse(known) as AdaptiveCard;
  const card = template(name).expand({ $root: data }) as AdaptiveCard;
  if (key.length > LONGEST_KEPT) return card;
  drawn.set(key, JSON.stringify(card));
  if (drawn.size > DRAWN_KEPT) drawn.delete(drawn.keys().next().value as string);
  return card;
}

/**
 * Reads and parses every template ahead of use, one per turn of the event loop. Parsing a
 * template's expressions blocks for tens of milliseconds (the form's for hundreds on a busy
 * machine); done at start, no click waits behind it.
 */
export async function warmCardTemplates(): Promise<void> {
  for (const name of CARD_NAMES) {
    await new Promise((resolve) => setImmediate(resolve));
    template(name);
  }
}
