import type { ConversationReference } from 'botbuilder';
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
