import type { Logger } from 'pino';
import type { ApproverPolicy } from '../requests/approvers';
import type { ApprovalsChannelReference } from './approvalsChannel';
import type { TeamRoster } from './teamRoster';

/** Teams shows its own version of a card to at most this many people (Universal Actions, `refresh.userIds`). */
export const MAX_REFRESH_VIEWERS = 60;

/**
 * Who sees an approval card's buttons: the approvers of the channel's team, named by their
 * Teams user ids; or everyone, when there are more approvers than Teams can name or the team
 * or the directory could not be asked (the server still refuses anyone but an approver).
 */
export type ApprovalAudience = { kind: 'named'; teamsUserIds: string[] } | { kind: 'everyone'; because: 'manyApprovers' | 'unknown' };

/**
 * The approvers among a team's people: members of the approvers group deciding now, so each
 * approval stage's card gets its own audience.
 */
export class ApproverAudience {
  constructor(
    private readonly roster: TeamRoster,
    private readonly log: Logger,
  ) {}

  /**
   * `requesterId`: never shown buttons for their own request, even when they are an approver.
   * `groupId`: the approvers group deciding now (the stage's), the configured one unless given.
   */
  async of(
    channel: ApprovalsChannelReference,
    approvers: ApproverPolicy,
    requesterId: string,
    groupId?: string,
  ): Promise<ApprovalAudience> {
    try {
      const people = (await this.roster.members(channel)).filter((member) => member.aadObjectId !== requesterId);
      const found = await approvers.approversAmong(
        people.map((member) => member.aadObjectId),
        groupId,
      );
      const teamsUserIds = [...new Set(people.filter((member) => found.has(member.aadObjectId)).map((member) => member.teamsUserId))];
      if (teamsUserIds.length > MAX_REFRESH_VIEWERS) return { kind: 'everyone', because: 'manyApprovers' };
      return { kind: 'named', teamsUserIds };
    } catch (error) {
      this.log.warn(
        { err: error, channel: channel.conversation?.id },
        'the approvers of the approvals channel could not be found: everyone sees the buttons',
      );
      return { kind: 'everyone', because: 'unknown' };
    }
  }
}
