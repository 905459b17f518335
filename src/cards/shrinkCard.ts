import type { AdaptiveCard } from './cardTemplates';
import { markdownText } from './markdownText';

/** Shown texts are never cut shorter than this. */
const SHORTEST_CUT = 200;

/** The first `length` characters, never ending in half an escape or half a surrogate pair. */
function cut(text: string, length: number): string {
  return `${text.slice(0, length).replace(/\\$|[\uD800-\uDBFF]$/, '')}…`;
}

/** Where every text a person reads sits in a card: TextBlocks and fact values, in nested cards too. */
function shownTexts(node: unknown, found: { holder: Record<string, unknown>; key: string }[] = []) {
  if (Array.isArray(node)) node.forEach((child) => shownTexts(child, found));
  else if (node && typeof node === 'object') {
    const element = node as Record<string, unknown>;
    if (element.type === 'TextBlock' && typeof element.text === 'string') found.push({ holder: element, key: 'text' });
    if (typeof element.title === 'string' && typeof element.value === 'string' && !('type' in element))
      found.push({ holder: element, key: 'value' });
    Object.values(element).forEach((child) => shownTexts(child, found));
  }
  return found;
}

/** The request a card is about, as its "Request" fact names it. */
function requestIdShown(card: AdaptiveCard): string | undefined {
  const match = /"title":"Request","value":"([A-Z0-9]+)"/.exec(JSON.stringify(card));
  return match?.[1];
}

/** What a shortened card says, so nothing is lost: where the whole of it can be read. */
export function fullVersionPointer(requestId: string | undefined): string {
  return requestId
    ? `Shortened to fit in Teams. Say "status ${requestId}" to me in a personal chat to see it in full.`
    : 'Shortened to fit in Teams. Say "my requests" to me in a personal chat to see your requests in full.';
}

/**
 * A card made to fit `fits`: the longest texts are cut in half, again and again, and a line
 * says where the full version is. When cutting texts is not enough (the card's inputs or data
 * are what is large), its texts are kept without inputs and actions, or else only that line.
 */
export function shrinkCard(card: AdaptiveCard, fits: (card: AdaptiveCard) => boolean): AdaptiveCard {
  if (fits(card)) return card;
  const pointer = { type: 'TextBlock', text: markdownText(fullVersionPointer(requestIdShown(card))), wrap: true, color: 'Warning' };
  const copy = JSON.parse(JSON.stringify(card)) as AdaptiveCard & { body?: unknown[] };
  copy.body = [pointer, ...(copy.body ?? [])];
  const texts = shownTexts(copy.body);
  while (!fits(copy)) {
    const longest = texts.reduce((a, b) => (String(b.holder[b.key]).length > String(a.holder[a.key]).length ? b : a), texts[0]);
    const text = String(longest.holder[longest.key]);
    const shorter = cut(text, Math.max(SHORTEST_CUT, Math.floor(text.length / 2)));
    // A text already cut to the shortest (200 characters and "…") cuts to itself: stop there.
    if (shorter.length >= text.length) return textOnly(copy, pointer, fits);
    longest.holder[longest.key] = shorter;
  }
  return copy;
}

/** The TextBlocks and FactSets among `elements`, those in containers too, in reading order. */
function readableElements(elements: unknown[]): unknown[] {
  return elements.flatMap((element) => {
    const { type, items } = element as { type?: string; items?: unknown[] };
    if (type === 'Container') return readableElements(items ?? []);
    return type === 'TextBlock' || type === 'FactSet' ? [element] : [];
  });
}

/** The card's texts without its inputs and actions (what was large), or the pointer alone. */
function textOnly(card: AdaptiveCard & { body?: unknown[] }, pointer: object, fits: (card: AdaptiveCard) => boolean): AdaptiveCard {
  const readable = readableElements(card.body ?? []);
  const shortened: AdaptiveCard = { type: 'AdaptiveCard', version: '1.5', body: readable };
  return fits(shortened) ? shortened : { type: 'AdaptiveCard', version: '1.5', body: [pointer] };
}

/** A message made to fit: cut, with the same pointer to the full version. */
export function shrinkText(text: string, fits: (text: string) => boolean): string {
  if (fits(text)) return text;
  const pointer = `\n\n${markdownText(fullVersionPointer(/\(request ([A-Z0-9]+)\)/.exec(text)?.[1]))}`;
  let kept = text;
  while (!fits(kept + pointer) && kept.length > SHORTEST_CUT) kept = cut(kept, Math.floor(kept.length / 2));
  return fits(kept + pointer) ? kept + pointer : pointer.trim();
}
