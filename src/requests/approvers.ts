import type { Actor } from './groupRequest';
import { DirectoryError, type DirectoryReader } from './directory';

export type ApproverCheck = { allowed: true } | { allowed: false; reason: string };

/**
 * Who may decide: members (transitively) of the configured approvers group, asked of the
 * directory at each decision. Answers are kept briefly so a burst of clicks costs one call,
 * but a removed approver loses the right within `cacheMs`.
 */
export class ApproverPolicy {
  private readonly answers = new Map<string, { allowed: boolean; until: number }>();

  constructor(
    private readonly directory: DirectoryReader,
    private readonly approversGroupId: string,
    private readonly cacheMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async check(actor: Actor): Promise<ApproverCheck> {
    const cached = this.answers.get(actor.aadObjectId);
    let allowed = cached && cached.until > this.now() ? cached.allowed : undefined;
    if (allowed === undefined) {
      try {
        allowed = await this.directory.isMemberOf(actor.aadObjectId, this.approversGroupId);
      } catch (error) {
        const why = error instanceof DirectoryError ? error.message : String(error);
        return { allowed: false, reason: `Your approver rights could not be checked, so nothing was changed: ${why}` };
      }
      this.answers.set(actor.aadObjectId, { allowed, until: this.now() + this.cacheMs });
    }
    return allowed
      ? { allowed: true }
      : { allowed: false, reason: 'Only members of the group-request approvers group can decide on requests.' };
  }
}
