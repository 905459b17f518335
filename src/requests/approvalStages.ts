import { defaultRoute, type ApprovalStage } from './approvalRoute';
import type { Actor, GroupRequest, StageMark } from './groupRequest';

/**
 * Where a request stands among its approval stages, read from its audit trail: the one record
 * of who decided which stage and when. A request stored before routes existed has one stage.
 */

/** One stage's decision, as cards, `status` and exports show it. */
export interface StageDecision extends StageMark {
  by: Actor;
  at: string;
  reason?: string;
}

/** The stages the request goes through; the default route's group is the configured approvers group. */
export function stagesOf(request: Pick<GroupRequest, 'route'>, defaultApproversGroupId: string): ApprovalStage[] {
  return (request.route ?? defaultRoute(defaultApproversGroupId)).stages;
}

export function stageCount(request: Pick<GroupRequest, 'route'>): number {
  return request.route?.stages.length ?? 1;
}

/** Every stage decided so far, in order; an approval or rejection stored before stages counts as the only stage's. */
export function stageDecisions(request: Pick<GroupRequest, 'audit'>): StageDecision[] {
  const decisions: StageDecision[] = [];
  for (const entry of request.audit) {
    if (entry.actor === 'system') continue;
    const legacy = !entry.stage && (entry.action === 'approved' || entry.action === 'rejected');
    const mark: StageMark | undefined =
      entry.stage ?? (legacy ? { number: 1, of: 1, name: 'Approval', outcome: entry.action as StageMark['outcome'] } : undefined);
    if (mark) decisions.push({ ...mark, by: entry.actor, at: entry.at, ...(entry.reason ? { reason: entry.reason } : {}) });
  }
  return decisions;
}

/** The stage now waiting for a decision (1 for the first), while the request waits for one. */
export function currentStageNumber(request: Pick<GroupRequest, 'audit'>): number {
  return stageDecisions(request).filter((decision) => decision.outcome === 'approved').length + 1;
}

/** The stage whose approvers decide now; for a decided request, the last stage. */
export function currentStage(
  request: Pick<GroupRequest, 'route' | 'audit'>,
  defaultApproversGroupId: string,
): ApprovalStage & { number: number } {
  const stages = stagesOf(request, defaultApproversGroupId);
  const number = Math.min(currentStageNumber(request), stages.length);
  return { ...stages[number - 1], number };
}

/** The stage this person already decided on this request, if any: nobody decides two. */
export function stageDecidedBy(request: Pick<GroupRequest, 'audit'>, actor: Actor): StageDecision | undefined {
  const id = actor.aadObjectId.toLowerCase();
  return stageDecisions(request).find((decision) => decision.by.aadObjectId.toLowerCase() === id);
}

/** "stage 2 of 3 (Security review)", or nothing for a request with one stage. */
export function stageWords(mark: Pick<StageMark, 'number' | 'of' | 'name'>): string {
  return mark.of > 1 ? `stage ${mark.number} of ${mark.of} (${mark.name})` : '';
}
