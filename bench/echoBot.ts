import { Application, TeamsAdapter, type TurnState } from '@microsoft/teams-ai';
import express from 'express';

/**
 * The smallest bot of the product's stack (botbuilder + teams-ai + express), measured next to the
 * product so its figures read as ratios: it echoes messages and answers every card action with a
 * one-line card. Local only: no token is checked, as the product does without BOT_ID.
 */
const adapter = new TeamsAdapter({ MicrosoftAppType: 'MultiTenant' });
const app = new Application<TurnState>({
  adapter,
  botAppId: '',
  removeRecipientMention: true,
  startTypingTimer: false,
  longRunningMessages: false,
});

app.message(/.*/, async (context) => {
  await context.sendActivity(`You said: ${context.activity.text ?? ''}`);
});
app.adaptiveCards.actionExecute(/.*/, async (context) => ({
  type: 'AdaptiveCard',
  version: '1.5',
  body: [{ type: 'TextBlock', text: `Done: ${String(context.activity.value?.action?.verb ?? '')}`, wrap: true }],
}));

const http = express();
http.get('/healthz', (_req, res) => {
  res.json({ status: 'ok' });
});
http.post('/api/messages', express.json({ limit: 300 * 1024 }), async (req, res) => {
  await adapter.process(req, res, async (context) => {
    await app.run(context);
  });
});
http.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
