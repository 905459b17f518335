import type { TurnContext } from 'botbuilder';
import { approvalCard, requestStatusCard } from '../cards/requestCards';
import type { AdaptiveCard } from '../cards/cardTemplates';
import type { GroupRequest } from '../requests/groupRequest';

/** Which card a request is shown on, so a refresh answers with the same kind of card. */
export type RequestCardKind = 'approval' | 'status';

/** Sent by Teams itself for a card's `refresh`, never by a button: the viewer's card as the request now stands. */
export const REFRESH_VERB = 'refreshCard';

/** Teams refreshes a card for at most this many named viewers (Universal Actions, `refresh.userIds`). */
const MAX_REFRESH_VIEWERS = 60;

export function requestCard(kind: RequestCardKind, request: GroupRequest, notice = ''): AdaptiveCard {
  return kind === 'approval' ? approvalCard(request, notice) : requestStatusCard(request, notice);
}

/**
 * The card a click is answered with reaches only the clicker's client, and may arrive there after
 * a later edit of the message. With `refresh` naming the clicker, Teams asks the bot again when
 * they look at it, so their card always ends on the request's current state.
 */
export function refreshingFor(
  context: TurnContext,
  kind: RequestCardKind,
  requestId: string,
  answer: AdaptiveCard | string,
): AdaptiveCard | string {
  const viewer = context.activity.from?.id;
  if (typeof answer === 'string' || !viewer) return answer;
  return {
    ...answer,
    refresh: {
      action: { type: 'Action.Execute', verb: REFRESH_VERB, data: { requestId, card: kind } },
      userIds: [viewer].slice(0, MAX_REFRESH_VIEWERS),
    },
  };
}
