import { Application, TeamsAdapter, type TurnState } from '@microsoft/teams-ai';
import type { BotContext } from './botContext';
import { addCardActionRoutes, type CardActionOptions } from './cardActionRoutes';
import { addMessageRoutes } from './messageRoutes';

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
    if (context.activity.type === 'message') {
      await context.sendActivity('Something went wrong on my side; nothing was changed. Try again in a moment.');
    }
  });
  return app;
}
