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

/** Fills a template from adaptiveCards/ with data; the data is all the card knows. */
export function renderCard(name: CardName, data: object): AdaptiveCard {
  return template(name).expand({ $root: data }) as AdaptiveCard;
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
