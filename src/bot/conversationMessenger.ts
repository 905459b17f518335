import { CardFactory, MessageFactory, type CloudAdapter, type ConversationReference} from 'botbuilder';
import type { AdaptiveCard } from '../cards/cardTemplates';

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

  async update(reference: Partial<ConversationReference>, activityId: string, card: AdaptiveCard): Promise<void> {
    await this.adapter.continueConversationAsync(this.botAppId, reference, async (context) => {
      await context.updateActivity({ ...asActivity(card), id: activityId });
    });
  }
}

export function asActivity(content: AdaptiveCard | string) {
  return typeof content === 'string'
    ? MessageFactory.text(content)
    : MessageFactory.attachment(CardFactory.adaptiveCard(content));
}
