import type { ConversationReference } from 'botbuilder';
import type { RequestStore } from '../requests/requestStore';

const SETTING = 'approvalsChannel';

/**
 * Where approval cards go: the channel an approver chose in Teams (kept in the store, so
 * every bot instance and every restart agrees), else the one the operator configured.
 */
export class ApprovalsChannel {
  constructor(
    private readonly store: RequestStore,
    private readonly configured?: Partial<ConversationReference>,
  ) {}

  async reference(): Promise<Partial<ConversationReference> | undefined> {
    const chosen = await this.store.getSetting(SETTING);
    return chosen ? (JSON.parse(chosen) as Partial<ConversationReference>) : this.configured;
  }

  /** Keeps the channel itself, not the thread the command was said in, so cards start new threads. */
  async choose(reference: Partial<ConversationReference>): Promise<void> {
    const conversation = reference.conversation
      ? { ...reference.conversation, id: reference.conversation.id.split(';messageid=')[0] }
      : undefined;
    const kept: Partial<ConversationReference> = {
      channelId: reference.channelId,
      serviceUrl: reference.serviceUrl,
      bot: reference.bot,
      conversation,
    };
    await this.store.setSetting(SETTING, JSON.stringify(kept));
  }
}
