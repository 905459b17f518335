import { randomUUID } from 'node:crypto';

/**
 * The teams the Bot Connector stand-in knows and their rosters, answered as Teams answers
 * `GET /v3/conversations/{conversationId}/pagedmembers` (msteams-docs `bots/how-to/get-teams-context.md`,
 * "Fetch the roster or user profile"; `bots/concepts/bots-context`):
 * - the conversation is the team (its id) or one of its standard channels, whose members are the team's;
 * - `pageSize` under 50 counts as 50, over 500 as 500, 200 when absent;
 * - `continuationToken` is opaque and present until the last page;
 * - each member is a Teams user id (`29:…`) with the Entra object id (`objectId` in the REST
 *   reference, `aadObjectId` in the Bot Framework schema), names, UPN, tenant and `userRole`.
 * A conversation Teams does not know answers 404; a team the bot was removed from answers 403; a
 * continuation token Teams did not hand out answers 403 `BadArgument`, as Microsoft's own Agents
 * Playground connector does (the docs are silent on it).
 */

export const PAGE_SIZE = { min: 50, default: 200, max: 500 } as const;

export interface RosterPerson {
  aadObjectId: string;
  name: string;
  userPrincipalName?: string;
}

interface Team {
  channelIds: Set<string>;
  members: RosterPerson[];
  botRemoved: boolean;
}

export interface RosterAnswer {
  status: number;
  body: unknown;
}

/** The Teams user id (MRI) the stand-in gives a person; activities name them by it too. */
export function teamsUserId(aadObjectId: string): string {
  return `29:${aadObjectId}`;
}

const refusal = (status: number, code: string, message: string): RosterAnswer => ({ status, body: { error: { code, message } } });

/** Teams' channel conversations end so; chats and personal conversations do not. */
const CHANNEL_THREAD = /@thread\.tacv2$/;

export class TeamRosters {
  private readonly teams = new Map<string, Team>();

  /** `defaultTeamId`: the team of every channel not declared with another (add it too). */
  constructor(private readonly defaultTeamId?: string) {}
  /** Continuation tokens handed out: where the next page starts, in which team. */
  private readonly tokens = new Map<string, { teamId: string; next: number }>();
  /** Roster pages the bot asked for, in order: which conversation, which page size it sent. */
  readonly requests: { conversationId: string; pageSize?: string; continued: boolean }[] = [];

  /** Declares a team, its standard channels and its members (the bot is installed in it). */
  add(teamId: string, channelIds: readonly string[], members: readonly RosterPerson[]): void {
    this.teams.set(teamId, { channelIds: new Set(channelIds), members: [...members], botRemoved: false });
  }

  /** The team whose id or standard channel this conversation is. */
  teamOf(conversationId: string): string | undefined {
    if (this.teams.has(conversationId)) return conversationId;
    const declared = [...this.teams].find(([, team]) => team.channelIds.has(conversationId))?.[0];
    return declared ?? (CHANNEL_THREAD.test(conversationId) ? this.defaultTeamId : undefined);
  }

  membersOf(conversationId: string): readonly RosterPerson[] | undefined {
    const teamId = this.teamOf(conversationId);
    return teamId ? this.teams.get(teamId)?.members : undefined;
  }

  /** The bot is removed from the team: Teams refuses it the roster from then on. */
  removeBot(teamId: string): void {
    const team = this.teams.get(teamId);
    if (team) team.botRemoved = true;
  }

  answer(conversationId: string, query: URLSearchParams, tenantId: string): RosterAnswer {
    const pageSizeText = query.get('pageSize') ?? undefined;
    const token = query.get('continuationToken') ?? undefined;
    this.requests.push({ conversationId, pageSize: pageSizeText, continued: token !== undefined });
    const teamId = this.teamOf(conversationId);
    const team = teamId ? this.teams.get(teamId) : undefined;
    if (!teamId || !team) return refusal(404, 'ConversationNotFound', 'Conversation not found.');
    if (team.botRemoved) return refusal(403, 'BotNotInConversationRoster', 'The bot is not part of the conversation roster.');
    const pageSize = pageSizeText === undefined ? PAGE_SIZE.default : Number(pageSizeText);
    if (!Number.isInteger(pageSize)) return refusal(400, 'BadArgument', `Invalid page size: ${pageSizeText}.`);
    const size = Math.min(PAGE_SIZE.max, Math.max(PAGE_SIZE.min, pageSize));
    let start = 0;
    if (token !== undefined) {
      const kept = this.tokens.get(token);
      if (!kept || kept.teamId !== teamId) return refusal(403, 'BadArgument', 'Failed to decrypt members continuationToken.');
      start = kept.next;
    }
    const page = team.members.slice(start, start + size);
    const next = start + page.length;
    let continuationToken: string | undefined;
    if (next < team.members.length) {
      continuationToken = randomUUID();
      this.tokens.set(continuationToken, { teamId, next });
    }
    return {
      status: 200,
      body: {
        ...(continuationToken ? { continuationToken } : {}),
        members: page.map((person) => {
          const [givenName, ...rest] = person.name.split(' ');
          return {
            id: teamsUserId(person.aadObjectId),
            name: person.name,
            objectId: person.aadObjectId,
            aadObjectId: person.aadObjectId,
            givenName,
            surname: rest.join(' '),
            email: person.userPrincipalName,
            userPrincipalName: person.userPrincipalName,
            tenantId,
            userRole: 'user',
          };
        }),
      },
    };
  }
}
