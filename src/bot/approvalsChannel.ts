import type { ConversationReference } from 'botbuilder';
import type { ApprovalChannel } from '../requests/approvalRoute';
import type { RequestStore } from '../requests/requestStore';

const SETTING = 'approvalsChannel';

/** Where approval cards go, and the team of that channel when Teams said it (its roster holds the approvers who see them). */
export type ApprovalsChannelReference = Partial<ConversationReference> & { teamId?: string };

/**
 * Where approval cards go: the channel an approver chose in Teams (kept in the store, so
 * every bot instance and every restart agrees), else the one the operator configured.
 */
export class ApprovalsChannel {
  constructor(
    private readonly store: RequestStore,
    private readonly configured?: Partial<ConversationReference>,
  ) {}

  async reference(): Promise<ApprovalsChannelReference | undefined> {
    const chosen = await this.store.getSetting(SETTING);
    return chosen ? (JSON.parse(chosen) as ApprovalsChannelReference) : this.configured;
  }

  /**
   * Where a stage's (or an escalation's) cards go: the channel its route names, on the route's
   * service URL or else the approvals channel's (one tenant, one region); the approvals channel
   * when the route names none. Undefined while no service URL or approvals channel is known.
   */
  async forStage(channel: ApprovalChannel | undefined): Promise<ApprovalsChannelReference | undefined> {
    const approvals = await this.reference();
    if (!channel) return approvals;
    const serviceUrl = channel.serviceUrl ?? approvals?.serviceUrl;
    if (!serviceUrl) return undefined;
    return {
      channelId: 'msteams',
      serviceUrl,
      ...(approvals?.bot ? { bot: approvals.bot } : {}),
      conversation: { id: channel.conversationId, isGroup: true, conversationType: 'channel', name: 'approvals' },
    };
  }

  /** Keeps the channel itself, not the thread the command was said in, so cards start new threads. */
  async choose(reference: Partial<ConversationReference>, teamId?: string): Promise<void> {
    const conversation = reference.conversation
      ? { ...reference.conversation, id: reference.conversation.id.split(';messageid=')[0] }
      : undefined;
    const kept: ApprovalsChannelReference = {
      channelId: reference.channelId,
      serviceUrl: reference.serviceUrl,
      bot: reference.bot,
      conversation,
      ...(teamId ? { teamId } : {}),
    };
    await this.store.setSetting(SETTING, JSON.stringify(kept));
  }
}
