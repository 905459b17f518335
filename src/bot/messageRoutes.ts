import { ActivityTypes, TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { helpCard, requestListCard } from '../cards/helpCard';
import { requestFormCard } from '../cards/requestFormCard';
import { memberListMessages } from '../cards/memberListMessages';
import { requestStatusCard } from '../cards/requestCards';
import type { AdaptiveCard } from '../cards/cardTemplates';
import type { Actor } from '../requests/groupRequest';
import { checkSender } from './activityIdentity';
import type { BotContext } from './botContext';
import { parseCommand, type Command } from './commandText';
import { asActivity } from './conversationMessenger';
import { viewerClockOf } from './viewerClockOf';

type Content = AdaptiveCard | string;

/** Commands whose answers show requests in full: outside a personal chat they go to the person's own. */
const PERSONAL_ANSWERS: readonly Command['kind'][] = ['status', 'myRequests'];

/** Answers one command; what it returns is sent back to the conversation. */
async function answer(command: Command, actor: Actor, context: TurnContext, bot: BotContext): Promise<Content | Content[]> {
  switch (command.kind) {
    case 'newGroup':
      return requestFormCard();
    case 'help':
      return helpCard();
    case 'unknown':
      return helpCard(command.text);
    case 'myRequests':
      return requestListCard(
        'Your requests',
        'You have not asked for any group yet: say "new group".',
        await bot.service.listMine(actor),
        viewerClockOf(context.activity),
      );
    case 'pending': {
      const check = await bot.approvers.check(actor);
      if (!check.allowed) return check.reason;
      return requestListCard('Waiting for a decision', 'No request is waiting for a decision.', await bot.service.listPending());
    }
    case 'status': {
      const read = await bot.service.read(actor, command.requestId);
      // The card counts the members; the full list follows, a few hundred names a message.
      // Answered in the person's own chat: their local times can be shown.
      return read.ok
        ? [requestStatusCard(read.request, '', true, viewerClockOf(context.activity)), ...memberListMessages(read.request)]
        : read.refusal.message;
    }
    case 'cancel': {
      const outcome = await bot.service.cancel(command.requestId, actor);
      return outcome.ok ? `Request ${command.requestId} is cancelled.` : outcome.refusal.message;
    }
    case 'remind': {
      const outcome = await bot.service.remind(command.requestId, actor);
      return outcome.ok
        ? `I reminded the approvers of request ${command.requestId} in its approval card's thread. You can send the next reminder in a day.`
        : outcome.refusal.message;
    }
    case 'useChannelForApprovals': {
      if (context.activity.conversation.conversationType !== 'channel') {
        return 'Say this in the team channel where approval cards should go.';
      }
      const check = await bot.approvers.check(actor);
      if (!check.allowed) return check.reason;
      const teamId = (context.activity.channelData as { team?: { id?: string } } | undefined)?.team?.id;
      await bot.approvals.choose(TurnContext.getConversationReference(context.activity), teamId);
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
    const command = parseCommand(context.activity.text);
    const replies = [await answer(command, sender.actor, context, bot)].flat();
    if (context.activity.conversation.conversationType === 'personal' || !PERSONAL_ANSWERS.includes(command.kind)) {
      await context.sendActivities(replies.map(asActivity));
      return;
    }
    try {
      await bot.messenger.sendPersonally(TurnContext.getConversationReference(context.activity), ...replies);
      await context.sendActivity('I answered you in our personal chat.');
    } catch (error) {
      bot.log.warn({ err: error }, 'could not answer in a personal chat');
      await context.sendActivity(
        'I show requests only in a personal chat, and I cannot write to you there yet: add the Entra Group Requests app for yourself, then ask me there.',
      );
    }
  });
}
