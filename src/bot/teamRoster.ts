import { TeamsInfo, type TeamsChannelAccount } from 'botbuilder';
import type { ApprovalsChannelReference } from './approvalsChannel';
import type { ConversationMessenger } from './conversationMessenger';

/** A person in a team, as Teams names them (`29:…`, the id a card's `refresh.userIds` takes) and as Entra does. */
export interface RosterMember {
  teamsUserId: string;
  aadObjectId: string;
}

/** Teams serves a roster 50 to 500 people a page (bots-context, "Fetch the roster"): the fewest calls. */
const PAGE_SIZE = 500;

/**
 * The people of the team an approvals channel belongs to, read page by page from the Bot
 * Connector's `pagedmembers`, the paged roster Teams asks bots to use. A channel kept without its
 * team (set by the operator) is asked for by its own id, which Teams answers with the channel's
 * members. Kept for `cacheMs`, as approver answers are, so a burst of cards costs one read.
 */
export class TeamRoster {
  private readonly kept = new Map<string, { members: RosterMember[]; until: number }>();

  constructor(
    private readonly messenger: ConversationMessenger,
    private readonly cacheMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws the Bot Connector's error (403 when the bot left the team, 404 for a conversation Teams does not know). */
  async members(channel: ApprovalsChannelReference): Promise<RosterMember[]> {
    const key = channel.teamId ?? channel.conversation?.id ?? '';
    const kept = this.kept.get(key);
    if (kept && kept.until > this.now()) return kept.members;
    const members: RosterMember[] = [];
    await this.messenger.within(channel, async (context) => {
      let continuationToken: string | undefined;
      do {
        const page = channel.teamId
          ? await TeamsInfo.getPagedTeamMembers(context, channel.teamId, PAGE_SIZE, continuationToken)
          : await TeamsInfo.getPagedMembers(context, PAGE_SIZE, continuationToken);
        members.push(...page.members.flatMap(asRosterMember));
        continuationToken = page.continuationToken || undefined;
      } while (continuationToken);
    });
    this.kept.set(key, { members, until: this.now() + this.cacheMs });
    return members;
  }
}

/** Anonymous guests and bots have no Entra object id, so they can never be approvers. */
function asRosterMember(account: TeamsChannelAccount): RosterMember[] {
  // The REST reference names the object id `objectId`; the Bot Framework schema `aadObjectId`.
  const aadObjectId = account.aadObjectId ?? (account as { objectId?: string }).objectId;
  return aadObjectId && account.id ? [{ teamsUserId: account.id, aadObjectId }] : [];
}
