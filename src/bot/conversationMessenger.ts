import {
  CardFactory,
  MessageFactory,
  type ChannelAccount,
  type CloudAdapter,
  type ConversationParameters,
  type ConversationReference,
} from 'botbuilder';
import type { AdaptiveCard } from '../cards/cardTemplates';

/** The audience of Bot Connector tokens for Teams' public cloud. */
const BOT_FRAMEWORK_AUDIENCE = 'https://api.botframework.com';

/** Sends and updates messages outside of a turn (proactively), by conversation reference. */
export class ConversationMessenger {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
  ) {}

  async send(reference: Partial<ConversationReference>, content: AdaptiveCard | string): Promise<string | undefined> {
    let id: string | undefined;
    await this.adapter.continueConversationAsync(this.botAppId, reference, async (context) => {
      id = (await context.sendActivity(asActivity(content)))?.id;
    });
    return id;
  }

  /**
   * Writes to the person of `reference` in their personal chat with the bot: the same
   * conversation when they were already there, else one the bot opens (Teams allows it once
   * the app is installed for them).
   */
  async sendPersonally(reference: Partial<ConversationReference>, content: AdaptiveCard | string): Promise<void> {
    const { conversation, user, serviceUrl } = reference;
    if (conversation?.conversationType === 'personal' || !user || !serviceUrl) {
      await this.send(reference, content);
      return;
    }
    const tenantId = conversation?.tenantId;
    await this.adapter.createConversationAsync(
      this.botAppId,
      reference.channelId ?? 'msteams',
      serviceUrl,
      BOT_FRAMEWORK_AUDIENCE,
      { isGroup: false, bot: reference.bot as ChannelAccount, members: [user], tenantId, channelData: { tenant: { id: tenantId } } } as ConversationParameters,
      async (context) => {
        await context.sendActivity(asActivity(content));
      },
    );
  }

  async update(reference: Partial<ConversationReference>, activityId: string, card: AdaptiveCard): Promise<void> {
    await this.adapter.continueConversationAsync(this.botAppId, reference, async (context) => {
      await context.updateActivity({ ...asActivity(card), id: activityId });
    });
  }
}

function asActivity(content: AdaptiveCard | string) {
  return typeof content === 'string'
    ? MessageFactory.text(content)
    : MessageFactory.attachment(CardFactory.adaptiveCard(content));
}
