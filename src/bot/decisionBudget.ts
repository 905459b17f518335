import { setTimeout as sleep } from 'node:timers/promises';
import { TurnContext } from 'botbuilder';
import { approvalCard, requestStatusCard } from '../cards/requestCards';
import type { AdaptiveCard } from '../cards/cardTemplates';
import type { BotContext } from './botContext';

/** Which card a decision was clicked on, so the "working" card and the final edit look like it. */
export type DecidedOn = 'approval' | 'status';

const WORKING = 'Working on it: Microsoft Graph is slow to answer. This card updates when it is done.';

/**
 * Answers a click on Approve, Reject, Cancel, Retry or Abandon within the decision budget,
 * whatever Graph does: Teams gives up on an answer after a few seconds. Work that takes longer
 * goes on after a "working" answer; what it changes reaches the card through the outbox, and the
 * clicked message is then edited to the request as it stands, so no one is left on "working".
 */
export async function answerWithinBudget(
  bot: BotContext,
  context: TurnContext,
  requestId: string,
  on: DecidedOn,
  work: Promise<AdaptiveCard | string>,
): Promise<AdaptiveCard | string> {
  const late = Symbol('late');
  const quick = await Promise.race([work, sleep(bot.decisionAnswerWithinMs, late, { ref: false })]);
  if (quick !== late) return quick;
  const reference = TurnContext.getConversationReference(context.activity);
  const messageId = context.activity.replyToId;
  bot.background.run(
    work
      .then(async () => {
        const request = await bot.service.get(requestId);
        if (request && messageId) await bot.publisher.updateCard(reference, messageId, cardOf(on, request));
      })
      .catch((error: unknown) => bot.log.error({ err: error, requestId }, 'a decision that outlasted its answer failed')),
  );
  const request = await bot.service.get(requestId);
  return request ? cardOf(on, request, WORKING) : WORKING;
}

function cardOf(on: DecidedOn, request: Parameters<typeof approvalCard>[0], notice = ''): AdaptiveCard {
  return on === 'approval' ? approvalCard(request, notice) : requestStatusCard(request, notice);
}
