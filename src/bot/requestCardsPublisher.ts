import type { ConversationReference } from 'botbuilder';
import { approvalCard, awaitsApprover, requestStatusCard } from '../cards/requestCards';
import type { AdaptiveCard } from '../cards/cardTemplates';
import type { ApproverPolicy } from '../requests/approvers';
import type { GroupRequest } from '../requests/groupRequest';
import type { RequestService } from '../requests/requestService';
import type { ApprovalsChannel, ApprovalsChannelReference } from './approvalsChannel';
import type { ApproverAudience } from './approverAudience';
import { withRefresh, type RequestCardKind } from './cardRefresh';
import type { ConversationMessenger } from './conversationMessenger';

type Reference = Partial<ConversationReference>;

/** Posts approval cards and replaces cards the bot sent; what changes say goes through the outbox. */
export class RequestCardsPublisher {
  constructor(
    private readonly messenger: ConversationMessenger,
    private readonly approvals: ApprovalsChannel,
    private readonly service: RequestService,
    /** Absent where clients show no user-specific views: everyone then gets the buttons. */
    private readonly audience: ApproverAudience | undefined,
    private readonly approvers: ApproverPolicy,
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
    const activityId = await this.messenger.send(channel, approvalCard(request, '', 'everyone'));
    await this.service.attachCards(request.id, { escalationConversation: channel, escalationActivityId: activityId });
  }

  /**
   * The approval card as everyone in `channel` sees it. While an approver has something to do,
   * it shows where the request stands and asks Teams for each approver of the team's own version,
   * with the buttons; past 60 approvers everyone gets the buttons, said to be for approvers only.
   */
  async channelCard(request: GroupRequest, channel: ApprovalsChannelReference | undefined): Promise<AdaptiveCard> {
    if (!awaitsApprover(request)) return approvalCard(request, '', 'onlooker');
    const audience = channel && this.audience ? await this.audience.of(channel, this.approvers, request.requester.aadObjectId) : undefined;
    if (!audience || audience.kind === 'everyone') return approvalCard(request, '', 'everyone');
    return withRefresh(approvalCard(request, '', 'onlooker'), 'approval', request.id, audience.teamsUserIds);
  }

  /**
   * A request's card as every viewer of message `activityId` sees it, after an edit. The
   * escalation group's card shows everyone the buttons: its people are not looked up.
   */
  cardForEveryone(kind: RequestCardKind, request: GroupRequest, activityId: string): Promise<AdaptiveCard> {
    if (kind === 'status') return Promise.resolve(requestStatusCard(request));
    if (activityId === request.cards.escalationActivityId) return Promise.resolve(approvalCard(request, '', 'everyone'));
    return this.channelCard(request, request.cards.approvalConversation as ApprovalsChannelReference | undefined);
  }

  /** Posts the approval card; false when no approvals channel is known yet. */
  async postForApproval(request: GroupRequest): Promise<boolean> {
    const channel = await this.approvals.reference();
    if (!channel) return false;
    const activityId = await this.messenger.send(channel, await this.channelCard(request, channel));
    await this.service.attachCards(request.id, { approvalConversation: channel, approvalActivityId: activityId });
    return true;
  }
}
