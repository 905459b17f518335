import type { Actor } from './groupRequest';
import { DirectoryError, type DirectoryReader } from './directory';

/** `unchecked`: the directory could not answer, so the person is neither known in nor out. */
export type ApproverCheck = { allowed: true } | { allowed: false; reason: string; unchecked?: boolean };

/**
 * Who may decide: members (transitively) of an approvers group, asked of the directory at each
 * decision. The configured approvers group decides requests with no route; an approval policy
 * adds its stages' groups. Answers are kept briefly so a burst of clicks costs one call, but a
 * removed approver loses the right within `cacheMs`. Clicks that arrive while the answer is
 * being asked wait for that same call.
 */
export class ApproverPolicy {
  private readonly answers = new Map<string, { allowed: boolean; until: number }>();
  private readonly asking = new Map<string, Promise<boolean>>();
  private readonly groupIds: readonly string[];

  constructor(
    private readonly directory: DirectoryReader,
    readonly defaultGroupId: string,
    private readonly cacheMs: number,
    private readonly now: () => number = Date.now,
    /** The approvers groups of the approval policy's stages and escalations. */
    policyGroupIds: readonly string[] = [],
  ) {
    this.groupIds = [...new Set([defaultGroupId, ...policyGroupIds].map((id) => id.toLowerCase()))];
  }

  private cached(key: string): boolean | undefined {
    const cached = this.answers.get(key);
    return cached && cached.until > this.now() ? cached.allowed : undefined;
  }

  private remember(key: string, allowed: boolean): void {
    this.answers.set(key, { allowed, until: this.now() + this.cacheMs });
  }

  /**
   * Which of these users are members of the approvers group (the configured one unless named),
   * with the answers kept for decisions: the people of a team are asked about together, in as
   * few directory calls as it allows. Throws the directory's error when it cannot be asked.
   */
  async approversAmong(userIds: readonly string[], groupId: string = this.defaultGroupId): Promise<Set<string>> {
    const key = (id: string) => answerKey(groupId, id);
    const unknown = [...new Set(userIds)].filter((id) => this.cached(key(id)) === undefined);
    const found = unknown.length ? await this.directory.membersAmong(unknown, groupId) : new Set<string>();
    unknown.forEach((id) => this.remember(key(id), found.has(id)));
    return new Set(userIds.filter((id) => found.has(id) || this.cached(key(id)) === true));
  }

  /** Whether the person approves anything: a member of any approvers group may see requests and list them. */
  async check(actor: Actor): Promise<ApproverCheck> {
    for (const groupId of this.groupIds) {
      const check = await this.checkGroup(actor, groupId);
      if (check.allowed || check.unchecked) return check;
    }
    return { allowed: false, reason: NOT_A_MEMBER };
  }

  /** Whether the person is a member of this approvers group, directly or through nesting. */
  async checkGroup(actor: Actor, groupId: string): Promise<ApproverCheck> {
    const key = answerKey(groupId, actor.aadObjectId);
    let allowed = this.cached(key);
    if (allowed === undefined) {
      try {
        allowed = await this.ask(key, actor.aadObjectId, groupId);
      } catch (error) {
        const why = error instanceof DirectoryError ? error.message : String(error);
        return { allowed: false, reason: `Your approver rights could not be checked, so nothing was changed: ${why}`, unchecked: true };
      }
    }
    return allowed ? { allowed: true } : { allowed: false, reason: NOT_A_MEMBER };
  }

  private ask(key: string, userId: string, groupId: string): Promise<boolean> {
    const asked = this.asking.get(key);
    if (asked) return asked;
    const answer = this.directory
      .isMemberOf(userId, groupId)
      .then((allowed) => {
        this.remember(key, allowed);
        return allowed;
      })
      .finally(() => this.asking.delete(key));
    this.asking.set(key, answer);
    return answer;
  }
}

/** Object ids are GUIDs, compared without case. */
const answerKey = (groupId: string, userId: string) => `${groupId.toLowerCase()} ${userId.toLowerCase()}`;

const NOT_A_MEMBER = 'Only members of the group-request approvers group can decide on requests.';
