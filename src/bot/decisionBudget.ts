import { setTimeout as sleep } from 'node:timers/promises';
import { TurnContext } from 'botbuilder';
import type { AdaptiveCard } from '../cards/cardTemplates';
import { answerWithin } from './answerDeadline';
import type { BotContext } from './botContext';
import { refreshingFor, requestCard, type ClickAnswer, type RequestCardKind } from './cardRefresh';

/** How long after a click's answer the clicked message is edited to the request as it stands. */
const EDIT_AFTER_ANSWER_MS = 1000;

const WORKING = 'Working on it: Microsoft Graph is slow to answer. This card updates when it is done.';

/**
 * Answers a click on Approve, Reject, Cancel, Retry or Abandon within the decision budget,
 * whatever Graph does: Teams gives up on an answer after a few seconds. Work that takes longer
 * goes on after a "working" answer; what it changes reaches the card through the outbox. Either
 * way the clicked message is edited to the request as it stands once the answer has gone out, so
 * an edit the answer overtook is made again, and no one is left on "working". Every answer names
 * the clicker for a refresh, in case it reaches their client after a later edit; it goes to the
 * clicker alone (cardActionRoutes.ts).
 */
export async function answerWithinBudget(
  bot: BotContext,
  context: TurnContext,
  requestId: string,
  on: RequestCardKind,
  work: Promise<ClickAnswer>,
): Promise<AdaptiveCard | string> {
  const late = Symbol('late');
  const quick = await answerWithin(work, bot.decisionAnswerWithinMs, late);
  const reference = TurnContext.getConversationReference(context.activity);
  const messageId = context.activity.replyToId;
  bot.background.run(
    Promise.all([work, sleep(EDIT_AFTER_ANSWER_MS, undefined, { ref: false })])
      .then(() => (messageId ? bot.edits.show(reference, messageId, on, requestId) : undefined))
      .catch((error: unknown) => bot.log.error({ err: error, requestId }, 'a decision could not be shown on its card')),
  );
  if (quick !== late) return refreshingFor(context, on, quick);
  const request = await bot.service.get(requestId);
  return request ? refreshingFor(context, on, { content: requestCard(on, request, WORKING), request }) : WORKING;
}
