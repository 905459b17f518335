import { setTimeout as sleep } from 'node:timers/promises';
import {
  ActivityEventNames,
  ActivityTypes,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type ResourceResponse,
  type TurnContext,
} from 'botbuilder';
import { ReusingTeamsAdapter } from '../reusingTeamsAdapter';
import { connectorFailure } from './connectorFailure';
import type { ConversationPacer } from './conversationPacer';

/** A turn's reply gives up after this many tries: Teams waits for the turn, not for ever. */
const REPLY_ATTEMPTS = 4;
/** Nor does a reply wait longer than this in all for Teams to take it. */
const REPLY_WAIT_BUDGET_MS = 6_000;

/**
 * The adapter whose replies within a turn keep to Teams' rates like every other send: they go
 * through the instance's pacer, one activity at a time, and one Teams refused for its rate
 * (412, 429, 502, 504) is sent again after `Retry-After`. Another instance of the bot writing to
 * the same channel is the usual cause, which no pacer of ours can see.
 *
 * Sends outside a turn (continued or created conversations) are paced by whoever made them, and
 * are passed through untouched: pacing them again here would wait on their own turn.
 */
export class PacedTeamsAdapter extends ReusingTeamsAdapter {
  constructor(
    settings: ConfigurationBotFrameworkAuthenticationOptions,
    private readonly pacer: ConversationPacer,
  ) {
    super(settings);
  }

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    if (!isTeamsTurn(context)) return super.sendActivities(context, activities);
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      const send = () => super.sendActivities(context, [activity]);
      const [response] = goesToTeams(activity) ? await this.retried(context, send) : await send();
      responses.push(response);
    }
    return responses;
  }

  override async updateActivity(context: TurnContext, activity: Partial<Activity>): Promise<ResourceResponse | void> {
    const update = () => super.updateActivity(context, activity);
    return isTeamsTurn(context) ? this.retried(context, update) : update();
  }

  private async retried<T>(context: TurnContext, operation: () => Promise<T>): Promise<T> {
    const pacer = this.pacer;
    const conversationId = context.activity.conversation.id;
    let waitedMs = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        return await pacer.run(conversationId, operation);
      } catch (error) {
        const failure = connectorFailure(error);
        const waitMs = failure.retryAfterMs ?? 250 * 2 ** (attempt - 1);
        if (!failure.retriable || attempt >= REPLY_ATTEMPTS || waitedMs + waitMs > REPLY_WAIT_BUDGET_MS) throw error;
        pacer.holdUntil(conversationId, Date.now() + waitMs);
        waitedMs += waitMs;
        await sleep(waitMs);
      }
    }
  }
}

/** A turn Teams started, as opposed to one the bot opened to send proactively. */
function isTeamsTurn(context: TurnContext): boolean {
  const { type, name } = context.activity;
  return !(
    type === ActivityTypes.Event &&
    (name === ActivityEventNames.ContinueConversation || name === ActivityEventNames.CreateConversation)
  );
}

/** Invoke answers and pauses never reach the Bot Connector. */
function goesToTeams(activity: Partial<Activity>): boolean {
  return activity.type !== ActivityTypes.InvokeResponse && activity.type !== 'delay' && activity.type !== ActivityTypes.Trace;
}
