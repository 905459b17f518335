import type { Actor } from './groupRequest';
import { DirectoryError, type DirectoryReader } from './directory';

export type ApproverCheck = { allowed: true } | { allowed: false; reason: string };

/**
 * Who may decide: members (transitively) of the configured approvers group, asked of the
 * directory at each decision. Answers are kept briefly so a burst of clicks costs one call,
 * but a removed approver loses the right within `cacheMs`. Clicks that arrive while the answer is
 * being asked wait for that same call.
 */
export class ApproverPolicy {
  private readonly answers = new Map<string, { allowed: boolean; until: number }>();
  private readonly asking = new Map<string, Promise<boolean>>();

  constructor(
    private readonly directory: DirectoryReader,
    private readonly approversGroupId: string,
    private readonly cacheMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private cached(userId: string): boolean | undefined {
    const cached = this.answers.get(userId);
    return cached && cached.until > this.now() ? cached.allowed : undefined;
  }

  private remember(userId: string, allowed: boolean): void {
    this.answers.set(userId, { allowed, until: this.now() + this.cacheMs });
  }

  /**
   * Which of these users are approvers, with the answers kept for decisions: the people of a
   * team are asked about together, in as few directory calls as it allows. Throws the
   * directory's error when it cannot be asked.
   */
  async approversAmong(userIds: readonly string[]): Promise<Set<string>> {
    const unknown = [...new Set(userIds)].filter((id) => this.cached(id) === undefined);
    const found = unknown.length ? await this.directory.membersAmong(unknown, this.approversGroupId) : new Set<string>();
    unknown.forEach((id) => this.remember(id, found.has(id)));
    return new Set(userIds.filter((id) => found.has(id) || this.cached(id) === true));
  }

  async check(actor: Actor): Promise<ApproverCheck> {
    let allowed = this.cached(actor.aadObjectId);
    if (allowed === undefined) {
      try {
        allowed = await this.ask(actor.aadObjectId);
      } catch (error) {
        const why = error instanceof DirectoryError ? error.message : String(error);
        return { allowed: false, reason: `Your approver rights could not be checked, so nothing was changed: ${why}` };
      }
    }
    return allowed
      ? { allowed: true }
      : { allowed: false, reason: 'Only members of the group-request approvers group can decide on requests.' };
  }

  private ask(userId: string): Promise<boolean> {
    const asked = this.asking.get(userId);
    if (asked) return asked;
    const answer = this.directory
      .isMemberOf(userId, this.approversGroupId)
      .then((allowed) => {
        this.remember(userId, allowed);
        return allowed;
      })
      .finally(() => this.asking.delete(userId));
    this.asking.set(userId, answer);
    return answer;
  }
}
