import type { ConversationReference } from 'botbuilder';
import { expiredNoticeCard, statusNotification } from '../../cards/requestCards';
import type { AdaptiveCard } from '../../cards/cardTemplates';
import { stageNotification } from '../../cards/stageFacts';
import { currentStageNumber } from '../../requests/approvalStages';
import type { CardLocations, GroupRequest, RequestStatus } from '../../requests/groupRequest';
import type { PendingChange } from '../../requests/requestChange';
import type { ApprovalsChannel, ApprovalsChannelReference } from '../approvalsChannel';
import type { RequestCardKind } from '../cardRefresh';
import type { ConversationMessenger } from '../conversationMessenger';
import type { RequestCardEdits } from '../requestCardEdits';
import type { RequestCardsPublisher } from '../requestCardsPublisher';
import { waitingDeliveries } from './waitingDeliveries';

/** The steps the requester hears about in their chat, beside the card updating in place. */
const NOTIFIED: readonly RequestStatus[] = ['approved', 'created', 'rejected', 'failed', 'abandoned', 'expired'];

type Reference = Partial<ConversationReference>;

/**
 * One message the bot sends or edits because of a change; `name` marks it made, once. A post
 * answers with where its card is, recorded in the same write as the delivery.
 */
export interface Delivery {
  name: string;
  conversationId: string;
  send(): Promise<CardLocations | void>;
}

export interface DeliveryParts {
  messenger: ConversationMessenger;
  approvals: ApprovalsChannel;
  publisher: RequestCardsPublisher;
  edits: RequestCardEdits;
}

/**
 * Who hears of a change, and how: a new request (or one that waited for an approvals channel)
 * gets its approval card, the request's cards are edited to its current state (only for the
 * latest pending change: earlier ones would show the same), and the requester is told of the
 * steps that matter to them. Reminders and escalations send what waitingDeliveries says. Cards
 * are drawn when they are sent, from the request as it stands then.
 */
export async function deliveriesFor(
  pending: PendingChange,
  request: GroupRequest,
  latest: boolean,
  parts: DeliveryParts,
): Promise<Delivery[]> {
  const { cards } = request;
  const requesterConversation = cards.requesterConversation as Reference | undefined;
  const approvalConversation = cards.approvalConversation as Reference | undefined;
  const escalationConversation = cards.escalationConversation as Reference | undefined;
  const deliveries: Delivery[] = [];
  const edit = (name: string, reference: Reference | undefined, activityId: string | undefined, kind: RequestCardKind) => {
    if (!reference?.conversation || !activityId) return;
    deliveries.push({
      name,
      conversationId: reference.conversation.id,
      send: () => parts.edits.showNow(reference, activityId, kind, request.id),
    });
  };

  const { change } = pending;
  const submittedNow = change.type === 'statusChanged' && change.from === undefined && change.to === 'submitted';
  if (change.type === 'approvalCardWanted' || submittedNow) {
    // The first stage's card goes to the channel its route names, else the approvals channel.
    const channel = await parts.approvals.forStage(request.route?.stages[0]?.channel);
    if (channel?.conversation && request.status === 'submitted' && !cards.approvalActivityId) {
      deliveries.push({
        name: 'approvalPost',
        conversationId: channel.conversation.id,
        send: async () => {
          const activityId = await parts.edits.postNow(channel, request.id, (current) => parts.publisher.channelCard(current, channel));
          return activityId ? { approvalConversation: channel, approvalActivityId: activityId } : undefined;
        },
      });
    }
    if (change.type === 'approvalCardWanted') return deliveries;
  }
  deliveries.push(...(await waitingDeliveries(change, request, parts)));
  if (latest) {
    edit('requesterCard', requesterConversation, cards.requesterActivityId, 'status');
    edit('approvalCard', approvalConversation, cards.approvalActivityId, 'approval');
    edit('escalationCard', escalationConversation, cards.escalationActivityId, 'approval');
    for (const card of cards.laterStageCards ?? []) {
      edit(`approvalCard${card.stage}`, card.conversation as Reference, card.activityId, 'approval');
    }
  }
  if (change.type === 'stageApproved') {
    deliveries.push(...(await nextStageDeliveries(change.stage, request, parts)));
    return deliveries;
  }
  if (change.type !== 'statusChanged') return deliveries;
  // An approval starts the creation in the same write: the requester hears of the approval then.
  const approvedNow = change.from === 'submitted' && change.to === 'creating';
  if (
    requesterConversation?.conversation &&
    change.from !== undefined &&
    change.from !== change.to &&
    (NOTIFIED.includes(change.to) || approvedNow)
  ) {
    // Told as it was at this change, not as it is now: a later change has its own notice.
    const told = { ...request, status: change.to };
    // An expired request is told with a button that fills a new form with the same values.
    const notice = change.to === 'expired' ? expiredNoticeCard(told) : statusNotification(told);
    deliveries.push({
      name: 'notice',
      conversationId: requesterConversation.conversation.id,
      send: () => noticeRequester(parts.messenger, requesterConversation, notice),
    });
  }
  return deliveries;
}

/**
 * A stage approved while the next waits: that stage's approvers get its card in their channel,
 * and the requester hears how far the request has come.
 */
async function nextStageDeliveries(approved: number, request: GroupRequest, parts: DeliveryParts): Promise<Delivery[]> {
  const deliveries: Delivery[] = [];
  const next = approved + 1;
  const waiting = request.status === 'submitted' && currentStageNumber(request) === next;
  const channel = await parts.approvals.forStage(request.route?.stages[next - 1]?.channel);
  if (waiting && channel?.conversation && !request.cards.laterStageCards?.some((card) => card.stage === next)) {
    deliveries.push({
      name: `approvalPost${next}`,
      conversationId: channel.conversation.id,
      send: async (): Promise<CardLocations | undefined> => {
        const activityId = await parts.edits.postNow(channel, request.id, (current) => parts.publisher.channelCard(current, channel));
        if (!activityId) return undefined;
        const others = (request.cards.laterStageCards ?? []).filter((card) => card.stage !== next);
        return { laterStageCards: [...others, { stage: next, conversation: channel as ApprovalsChannelReference, activityId }] };
      },
    });
  }
  const requesterConversation = request.cards.requesterConversation as Reference | undefined;
  if (requesterConversation?.conversation) {
    deliveries.push({
      name: 'notice',
      conversationId: requesterConversation.conversation.id,
      send: () => noticeRequester(parts.messenger, requesterConversation, stageNotification(request, approved)),
    });
  }
  return deliveries;
}

/**
 * Tells the requester in their personal chat; Teams refuses that chat (403) to someone who has
 * not installed the app for themselves, who is then told where they asked, a group chat or channel.
 */
async function noticeRequester(messenger: ConversationMessenger, reference: Reference, notice: AdaptiveCard | string): Promise<void> {
  try {
    await messenger.sendPersonally(reference, notice);
  } catch (error) {
    if ((error as { statusCode?: unknown } | undefined)?.statusCode !== 403 || reference.conversation?.conversationType === 'personal')
      throw error;
    await messenger.send(reference, notice);
  }
}
