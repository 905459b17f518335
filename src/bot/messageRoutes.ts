import { ActivityTypes, CardFactory, MessageFactory, TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { helpCard, requestListCard } from '../cards/helpCard';
import { requestFormCard } from '../cards/requestFormCard';
import { requestStatusCard } from '../cards/requestCards';
import type { AdaptiveCard } from '../cards/cardTemplates';
import type { Actor } from '../requests/groupRequest';
import { checkSender } from './activityIdentity';
import type { BotContext } from './botContext';
import { parseCommand, type Command } from './commandText';

const card = (content: AdaptiveCard) => MessageFactory.attachment(CardFactory.adaptiveCard(content));

/** Answers one command; what it returns is sent back to the conversation. */
async function answer(command: Command, actor: Actor, context: TurnContext, bot: BotContext) {
  switch (command.kind) {
    case 'newGroup':
      return card(requestFormCard());
    case 'help':
      return card(helpCard());
    case 'unknown':
      return card(helpCard(command.text));
    case 'myRequests':
      return card(requestListCard('Your requests', 'You have not asked for any group yet: say "new group".', await bot.service.listMine(actor)));
    case 'pending': {
      const check = await bot.approvers.check(actor);
      if (!check.allowed) return check.reason;
      return card(requestListCard('Waiting for a decision', 'No request is waiting for a decision.', await bot.service.listPending()));
    }
    case 'status': {
      const read = await bot.service.read(actor, command.requestId);
      return read.ok ? card(requestStatusCard(read.request, '', true)) : read.refusal.message;
    }
    case 'cancel': {
      const outcome = await bot.service.cancel(command.requestId, actor);
      return outcome.ok ? `Request ${command.requestId} is cancelled.` : outcome.refusal.message;
    }
    case 'useChannelForApprovals': {
      if (context.activity.conversation.conversationType !== 'channel') {
        return 'Say this in the team channel where approval cards should go.';
      }
      const check = await bot.approvers.check(actor);
      if (!check.allowed) return check.reason;
      await bot.approvals.choose(TurnContext.getConversationReference(context.activity));
      const posted = (await bot.service.wantApprovalCards()).length;
      const waiting = posted ? ` ${posted} waiting request${posted === 1 ? ' is' : 's are'} posted now.` : '';
      return `Approval cards will be posted in this channel from now on.${waiting}`;
    }
  }
}

export function addMessageRoutes(app: Application<TurnState>, bot: BotContext): void {
  app.activity(ActivityTypes.Message, async (context) => {
    const sender = checkSender(context.activity, bot.tenantId);
    if (!sender.ok) {
      bot.log.warn({ from: context.activity.from?.id, reason: sender.reason }, 'message refused');
      await context.sendActivity(sender.reason);
      return;
    }
    const reply = await answer(parseCommand(context.activity.text), sender.actor, context, bot);
    await context.sendActivity(reply);
  });
}
