import {
  CardFactory,
  MessageFactory,
  type ChannelAccount,
  type CloudAdapter,
  type ConversationParameters,
  type ConversationReference,
  type TurnContext,
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
    await this.within(reference, async (context) => {
      id = (await context.sendActivity(asActivity(content)))?.id;
    });
    return id;
  }

  /**
   * Runs `work` in the conversation and throws what it threw: the adapter would otherwise hand
   * the error to the app's turn error handler and report success, so a refused send would
   * never be retried.
   */
  within(reference: Partial<ConversationReference>, work: (context: TurnContext) => Promise<void>): Promise<void> {
    return rethrowing((logic) => this.adapter.continueConversationAsync(this.botAppId, reference, logic), work);
  }

  /**
   * Writes to the person of `reference` in their personal chat with the bot: the same
   * conversation when they were already there, else one the bot opens (Teams allows it once
   * the app is installed for them).
   */
  async sendPersonally(reference: Partial<ConversationReference>, ...contents: (AdaptiveCard | string)[]): Promise<void> {
    const { conversation, user, serviceUrl } = reference;
    if (conversation?.conversationType === 'personal' || !user || !serviceUrl) {
      for (const content of contents) await this.send(reference, content);
      return;
    }
    const tenantId = conversation?.tenantId;
    const parameters = {
      isGroup: false,
      bot: reference.bot as ChannelAccount,
      members: [user],
      tenantId,
      channelData: { tenant: { id: tenantId } },
    } as ConversationParameters;
    await rethrowing(
      (logic) =>
        this.adapter.createConversationAsync(
          this.botAppId,
          reference.channelId ?? 'msteams',
          serviceUrl,
          BOT_FRAMEWORK_AUDIENCE,
          parameters,
          logic,
        ),
      async (context) => {
        await context.sendActivities(contents.map(asActivity));
      },
    );
  }

  async update(reference: Partial<ConversationReference>, activityId: string, card: AdaptiveCard): Promise<void> {
    await this.within(reference, async (context) => {
      await context.updateActivity({ ...asActivity(card), id: activityId });
    });
  }
}

type Logic = (context: TurnContext) => Promise<void>;

/** Runs `work` through the adapter and throws what it threw, which the adapter would have kept to itself. */
async function rethrowing(run: (logic: Logic) => Promise<void>, work: Logic): Promise<void> {
  let failure: { error: unknown } | undefined;
  await run(async (context) => {
    try {
      await work(context);
    } catch (error) {
      failure = { error };
    }
  });
  if (failure) throw failure.error;
}

/** A card or a Markdown text as the activity that carries it. */
export function asActivity(content: AdaptiveCard | string) {
  return typeof content === 'string' ? MessageFactory.text(content) : MessageFactory.attachment(CardFactory.adaptiveCard(content));
}
