import type { ConversationReference } from 'botbuilder';
import { approvalCard, awaitsApprover, requestStatusCard } from '../cards/requestCards';
import type { AdaptiveCard } from '../cards/cardTemplates';
import { currentStage } from '../requests/approvalStages';
import type { ApproverPolicy } from '../requests/approvers';
import type { GroupRequest } from '../requests/groupRequest';
import type { ApprovalsChannel, ApprovalsChannelReference } from './approvalsChannel';
import type { ApproverAudience } from './approverAudience';
import { withRefresh, type RequestCardKind } from './cardRefresh';

type Reference = Partial<ConversationReference>;

/**
 * Draws approval cards as each channel's viewers see them, and says where they go; the outbox
 * posts them and RequestCardEdits edits them.
 */
export class RequestCardsPublisher {
  constructor(
    private readonly approvals: ApprovalsChannel,
    /** Absent where clients show no user-specific views: everyone then gets the buttons. */
    private readonly audience: ApproverAudience | undefined,
    private readonly approvers: ApproverPolicy,
  ) {}

  /**
   * Where the escalation group's card goes: the channel the route's escalation names (on the
   * approvals channel's service URL when it gives none), else the approvals channel.
   */
  escalationChannel(request: GroupRequest): Promise<Reference | undefined> {
    return this.approvals.forStage(request.route?.escalation?.channel);
  }

  /**
   * The approval card as everyone in `channel` sees it. While an approver has something to do,
   * it shows where the request stands and asks Teams for each approver of the team's own version,
   * with the buttons; past 60 approvers everyone gets the buttons, said to be for approvers only.
   */
  async channelCard(request: GroupRequest, channel: ApprovalsChannelReference | undefined): Promise<AdaptiveCard> {
    if (!awaitsApprover(request)) return approvalCard(request, '', 'onlooker');
    const groupId = currentStage(request, this.approvers.defaultGroupId).approversGroupId;
    const audience =
      channel && this.audience ? await this.audience.of(channel, this.approvers, request.requester.aadObjectId, groupId) : undefined;
    if (!audience || audience.kind === 'everyone') return approvalCard(request, '', 'everyone');
    return withRefresh(approvalCard(request, '', 'onlooker'), 'approval', request, audience.teamsUserIds);
  }

  /**
   * A request's card as every viewer of message `activityId` sees it, after an edit. The
   * escalation group's card shows everyone the buttons: its people are not looked up.
   */
  cardForEveryone(kind: RequestCardKind, request: GroupRequest, activityId: string): Promise<AdaptiveCard> {
    if (kind === 'status') return Promise.resolve(requestStatusCard(request));
    if (activityId === request.cards.escalationActivityId) return Promise.resolve(approvalCard(request, '', 'everyone'));
    const laterStage = request.cards.laterStageCards?.find((card) => card.activityId === activityId);
    return this.channelCard(
      request,
      (laterStage?.conversation ?? request.cards.approvalConversation) as ApprovalsChannelReference | undefined,
    );
  }
}
