import type { Activity, Middleware, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { AdaptiveCard } from '../cards/cardTemplates';
import { shrinkCard, shrinkText } from '../cards/shrinkCard';

/** Teams refuses a bot message over 100 KB, measured as UTF-16 (413 MessageSizeTooBig). */
export const TEAMS_MESSAGE_LIMIT_BYTES = 100 * 1024;

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/** The size Teams measures: the JSON of the whole activity as UTF-16, two bytes a code unit. */
export function utf16Bytes(value: unknown): number {
  return JSON.stringify(value).length * 2;
}

/** The card an activity carries, whether as a message attachment or as an invoke answer. */
function cardOf(activity: Partial<Activity>): { card: AdaptiveCard; put(card: AdaptiveCard): void } | undefined {
  const answer = activity.type === 'invokeResponse' ? (activity.value as { body?: { type?: string; value?: AdaptiveCard } }) : undefined;
  if (answer?.body?.type === ADAPTIVE_CARD && answer.body.value) {
    const body = answer.body;
    return { card: body.value as AdaptiveCard, put: (card) => (body.value = card) };
  }
  const attachment = activity.attachments?.find((a) => a.contentType === ADAPTIVE_CARD);
  if (attachment) return { card: attachment.content as AdaptiveCard, put: (card) => (attachment.content = card) };
  return undefined;
}

/**
 * Every activity the bot sends, updates or answers an invoke with passes here: one that would
 * exceed Teams' limit is shortened (longest texts first) and says where the full version is.
 * Nothing is lost: the request itself stays whole in the store.
 */
export class TeamsSizeLimit implements Middleware {
  constructor(
    private readonly log: Logger,
    private readonly limitBytes = TEAMS_MESSAGE_LIMIT_BYTES,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    context.onSendActivities(async (_context, activities, send) => {
      activities.forEach((activity) => this.fit(activity));
      return send();
    });
    context.onUpdateActivity(async (_context, activity, update) => {
      this.fit(activity);
      return update();
    });
    await next();
  }

  /** Shortens `activity` in place when it would not fit. */
  fit(activity: Partial<Activity>): void {
    const size = utf16Bytes(activity);
    if (size <= this.limitBytes) return;
    const fits = () => utf16Bytes(activity) <= this.limitBytes;
    const carried = cardOf(activity);
    if (carried) {
      carried.put(shrinkCard(carried.card, (card) => (carried.put(card), fits())));
    } else if (typeof activity.text === 'string') {
      activity.text = shrinkText(activity.text, (text) => ((activity.text = text), fits()));
    }
    this.log.warn({ type: activity.type, bytes: size, shortenedTo: utf16Bytes(activity) }, 'activity shortened to fit in Teams');
  }
}
