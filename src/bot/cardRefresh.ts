import type { TurnContext } from 'botbuilder';
import { approvalCard, requestStatusCard, type ApprovalView } from '../cards/requestCards';
import type { AdaptiveCard } from '../cards/cardTemplates';
import type { GroupRequest } from '../requests/groupRequest';
import { MAX_REFRESH_VIEWERS } from './approverAudience';

/** Which card a request is shown on, so a refresh answers with the same kind of card. */
export type RequestCardKind = 'approval' | 'status';

/** Sent by Teams itself for a card's `refresh`, never by a button: the viewer's card as the request now stands. */
export const REFRESH_VERB = 'refreshCard';

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/** A request's card for one viewer; on the approval card, `view` says whether it is an approver's. */
export function requestCard(kind: RequestCardKind, request: GroupRequest, notice = '', view?: ApprovalView): AdaptiveCard {
  return kind === 'approval' ? approvalCard(request, notice, view) : requestStatusCard(request, notice);
}

/** `card` with a `refresh` that makes Teams ask for the current card of each of `teamsUserIds` when they look at it. */
export function withRefresh(
  card: AdaptiveCard,
  kind: RequestCardKind,
  request: Pick<GroupRequest, 'id' | 'version'>,
  teamsUserIds: readonly string[],
): AdaptiveCard {
  return {
    ...card,
    refresh: {
      // The version the card was drawn from: Teams sends it back, the answer is always the current card.
      action: { type: 'Action.Execute', verb: REFRESH_VERB, data: { requestId: request.id, card: kind, version: request.version } },
      userIds: teamsUserIds.slice(0, MAX_REFRESH_VIEWERS),
    },
  };
}

/** What a click is answered with, and the request a card answer was drawn from. */
export interface ClickAnswer {
  content: AdaptiveCard | string;
  request?: GroupRequest;
}

/**
 * The card a click is answered with reaches only the clicker's client, and may arrive there after
 * a later edit of the message. With `refresh` naming the clicker, Teams asks the bot again when
 * they look at it, so their card always ends on the request's current state.
 */
export function refreshingFor(context: TurnContext, kind: RequestCardKind, answer: ClickAnswer): AdaptiveCard | string {
  const viewer = context.activity.from?.id;
  const { content, request } = answer;
  if (typeof content === 'string' || !viewer || !request) return content;
  return withRefresh(content, kind, request, [viewer]);
}

/**
 * Answers the invoke with `card` for the viewer alone. teams-ai would first edit the message for
 * everyone with any answer that has a `refresh`, which would give one viewer's card (an
 * approver's buttons) to all.
 */
export async function answerViewerOnly(context: TurnContext, card: AdaptiveCard): Promise<''> {
  await context.sendActivity({
    type: 'invokeResponse',
    value: { status: 200, body: { statusCode: 200, type: ADAPTIVE_CARD, value: card } },
  });
  return '';
}
