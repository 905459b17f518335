import type { ConversationReference } from 'botbuilder';
import { approvalCard, reminderText } from '../../cards/requestCards';
import type { AdaptiveCard } from '../../cards/cardTemplates';
import { currentStageNumber } from '../../requests/approvalStages';
import type { GroupRequest } from '../../requests/groupRequest';
import type { RequestChange } from '../../requests/requestChange';
import type { Delivery, DeliveryParts } from './changeDeliveries';

type Reference = Partial<ConversationReference>;

/** The escalation group's card: everyone there sees the buttons, its people are not looked up. */
const escalationCard = (request: GroupRequest): Promise<AdaptiveCard> => Promise.resolve(approvalCard(request, '', 'everyone'));

/**
 * What a reminder or an escalation sends: a reply in the approval card's thread (the request's id
 * and how long it waited, nothing more, for everyone in the channel reads it), or the approval
 * card in the escalation group's channel.
 */
export async function waitingDeliveries(change: RequestChange, request: GroupRequest, parts: DeliveryParts): Promise<Delivery[]> {
  const { cards } = request;
  if (change.type === 'reminded') {
    // The reply goes under the card of the stage waiting now.
    const laterStage = cards.laterStageCards?.find((card) => card.stage === currentStageNumber(request));
    const channel = (laterStage ? laterStage.conversation : cards.approvalConversation) as Reference | undefined;
    const parentId = laterStage ? laterStage.activityId : cards.approvalActivityId;
    if (!channel?.conversation || !parentId || request.status !== 'submitted') return [];
    const thread = inThreadOf(channel, channel.conversation, parentId);
    return [
      {
        name: 'reminderReply',
        conversationId: channel.conversation.id,
        send: async () => void (await parts.messenger.send(thread, reminderText(request, change.reminder))),
      },
    ];
  }
  if (change.type === 'escalated') {
    const channel = await parts.publisher.escalationChannel(request);
    if (!channel?.conversation || request.status !== 'submitted' || cards.escalationActivityId) return [];
    return [
      {
        name: 'escalationPost',
        conversationId: channel.conversation.id,
        send: async () => {
          const activityId = await parts.edits.postNow(channel, request.id, escalationCard);
          return activityId ? { escalationConversation: channel, escalationActivityId: activityId } : undefined;
        },
      },
    ];
  }
  return [];
}

/** Teams names a channel message's thread by the channel's id and the message's: `<channel id>;messageid=<message id>`. */
function inThreadOf(channel: Reference, conversation: NonNullable<Reference['conversation']>, messageId: string): Reference {
  return { ...channel, conversation: { ...conversation, id: `${conversation.id};messageid=${messageId}` } };
}
