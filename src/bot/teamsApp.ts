import { ActivityTypes, INVOKE_RESPONSE_KEY } from 'botbuilder';
import { Application, TeamsAdapter, type TurnState } from '@microsoft/teams-ai';
import type { BotContext } from './botContext';
import { addCardActionRoutes, type CardActionOptions } from './cardActionRoutes';
import { addMessageRoutes } from './messageRoutes';

const SORRY = 'Something went wrong on my side; nothing was changed. Try again in a moment.';

/** The Teams application: routes only; the work happens in requests/. */
export function createTeamsApp(adapter: TeamsAdapter, botAppId: string, bot: BotContext, options: CardActionOptions) {
  const app = new Application<TurnState>({
    adapter,
    botAppId,
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
  });
  addMessageRoutes(app, bot);
  addCardActionRoutes(app, bot, options);
  app.error(async (context, error) => {
    bot.log.error({ err: error, activity: context.activity.type }, 'turn failed');
    if (context.activity.type === 'message') await context.sendActivity(SORRY);
    // Without an answer Teams shows the click as failed with no word why; the protocol's error body says it.
    if (context.activity.type === ActivityTypes.Invoke && !context.turnState.get(INVOKE_RESPONSE_KEY)) {
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: {
          status: 200,
          body: { statusCode: 500, type: 'application/vnd.microsoft.error', value: { code: 'InternalServerError', message: SORRY } },
        },
      });
    }
  });
  return app;
}
