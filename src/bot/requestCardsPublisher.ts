import type { ConversationReference } from 'botbuilder';
import { approvalCard } from '../cards/requestCards';
import type { AdaptiveCard } from '../cards/cardTemplates';
import type { GroupRequest } from '../requests/groupRequest';
import type { RequestService } from '../requests/requestService';
import type { ApprovalsChannel } from './approvalsChannel';
import type { ConversationMessenger } from './conversationMessenger';

type Reference = Partial<ConversationReference>;

/** Posts approval cards and replaces cards the bot sent; what changes say goes through the outbox. */
export class RequestCardsPublisher {
  constructor(
    private readonly messenger: ConversationMessenger,
    private readonly approvals: ApprovalsChannel,
    private readonly service: RequestService,
  ) {}

  /** Replaces a card the bot sent earlier, e.g. the form with the outcome of its submission. */
  updateCard(reference: Reference, activityId: string, card: AdaptiveCard): Promise<void> {
    return this.messenger.update(reference, activityId, card);
  }

  /**
   * Where the escalation group's card goes: the channel the route's escalation names (on the
   * approvals channel's service URL when it gives none), else the approvals channel.
   */
  async escalationChannel(request: GroupRequest): Promise<Reference | undefined> {
    const approvals = await this.approvals.reference();
    const named = request.route?.escalation?.channel;
    if (!named) return approvals;
    const serviceUrl = named.serviceUrl ?? approvals?.serviceUrl;
    if (!serviceUrl) return undefined;
    return {
      channelId: 'msteams',
      serviceUrl,
      ...(approvals?.bot ? { bot: approvals.bot } : {}),
      conversation: { id: named.conversationId, isGroup: true, conversationType: 'channel', name: 'escalation' },
    };
  }

  /** Posts the approval card for the escalation group too; a decision on either card decides the request. */
  async postForEscalation(request: GroupRequest, channel: Reference): Promise<void> {
    const activityId = await this.messenger.send(channel, approvalCard(request));
    await this.service.attachCards(request.id, { escalationConversation: channel, escalationActivityId: activityId });
  }

  /** Posts the approval card; false when no approvals channel is known yet. */
  async postForApproval(request: GroupRequest): Promise<boolean> {
    const channel = await this.approvals.reference();
    if (!channel) return false;
    const activityId = await this.messenger.send(channel, approvalCard(request));
    await this.service.attachCards(request.id, { approvalConversation: channel, approvalActivityId: activityId });
    return true;
  }
}
