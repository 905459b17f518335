import { currentStage, currentStageNumber, stageCount, stagesOf, stageWords } from './approvalStages';
import type { ApprovalStage } from './approvalRoute';
import type { CreationRunner } from './creationRunner';
import type { Actor, DirectoryPrincipal, GroupRequest } from './groupRequest';
import { presetOwners } from './presetOwners';
import { shownTo } from './requestAccess';
import { notFound, type ActionOutcome } from './requestOutcomes';
import type { CreatingDecision, CreationIdentity, RequestContext } from './requestServiceDeps';
import { applyEvents } from './requestWrites';
import { wasEscalated } from './waitingClock';
import { applyEvent, type RequestEvent } from './workflow';

/** A service's context with the runner its creating decisions hand their work to. */
export interface DecisionContext extends RequestContext {
  readonly creations: CreationRunner;
}

type Decision = CreatingDecision | 'reject' | 'abandon';

/**
 * The stage whose approvers make this decision: the one waiting, for an approval or a
 * rejection; the last, whose approval started the creation, for a retry or an abandon.
 */
function decidingStage(ctx: RequestContext, request: GroupRequest, decision: Decision): ApprovalStage & { number: number } {
  const defaultGroup = ctx.deps.approvers.defaultGroupId;
  if (decision === 'approve' || decision === 'reject') return currentStage(request, defaultGroup);
  const stages = stagesOf(request, defaultGroup);
  return { ...stages[stages.length - 1], number: stages.length };
}

function outsideStage(request: GroupRequest, stage: ApprovalStage & { number: number }, decision: Decision): string {
  const words = stageWords({ ...stage, of: stageCount(request) });
  const what = decision === 'approve' || decision === 'reject' ? 'decide' : 'retry or abandon the creation of';
  if (words) return `Only members of the approvers group of ${words} can ${what} this request now.`;
  return `Only members of the approvers group of the route "${request.route?.name}" can ${what} this request.`;
}

/**
 * Refuses whoever is not in the deciding stage's approvers group, nor in the escalation group of
 * an escalated request (transitively, asked of the directory); the request stays in the refusal
 * only for someone who may read it.
 */
async function asStageApprover(
  ctx: RequestContext,
  actor: Actor,
  request: GroupRequest,
  decision: Decision,
): Promise<ActionOutcome | undefined> {
  const stage = decidingStage(ctx, request, decision);
  // A decided request is told as decided to any approver; the stage's group matters while it waits.
  const decided = (decision === 'approve' || decision === 'reject') && request.status !== 'submitted';
  const check = decided ? await ctx.deps.approvers.check(actor) : await ctx.deps.approvers.checkGroup(actor, stage.approversGroupId);
  if (check.allowed) return undefined;
  // Once escalated, the escalation group decides the waiting stage as well: whoever is first wins.
  const escalation = request.route?.escalation;
  if (escalation && wasEscalated(request) && (decision === 'approve' || decision === 'reject')) {
    if ((await ctx.deps.approvers.checkGroup(actor, escalation.approversGroupId)).allowed) return undefined;
  }
  const message = request.route && !check.unchecked ? outsideStage(request, stage, decision) : check.reason;
  return shownTo(ctx, actor, { ok: false, refusal: { code: 'notApprover', message }, request });
}

interface Judged {
  outcome: ActionOutcome;
  /** The stage an approval decides, pinned so a retried write never counts it for a later stage. */
  stage?: number;
  /** Whether the decision starts a creation: a retry, or the approval of the last stage. */
  creates?: boolean;
  presetOwners?: DirectoryPrincipal[];
}

/**
 * The decision judged, and the owners the group's kind requires as the directory has them now:
 * a device group is never made without its owner, so a decision that creates it waits until it exists.
 */
async function judgeDecision(ctx: RequestContext, id: string, actor: Actor, decision: CreatingDecision): Promise<Judged> {
  const request = await ctx.deps.store.get(id);
  if (!request) return { outcome: notFound(id) };
  const denied = await asStageApprover(ctx, actor, request, decision);
  if (denied) return { outcome: denied };
  const stage = decision === 'approve' ? currentStageNumber(request) : undefined;
  const event: RequestEvent = decision === 'approve' ? { type: 'approve', actor, stage } : { type: 'retry', actor };
  const judged = applyEvent(request, event, ctx.now());
  if (!judged.ok) return { outcome: { ok: false, refusal: judged.refusal, request } };
  if (judged.request.status === 'submitted') return { outcome: { ok: true, request }, stage };
  const required = await presetOwners(ctx.deps.directory, request.spec.preset);
  if (required.problem) {
    const message = `${required.problem} Nothing was changed: decide again once it exists.`;
    return { outcome: { ok: false, refusal: { code: 'presetOwnerMissing', message }, request } };
  }
  return { outcome: { ok: true, request }, stage, creates: true, ...(required.owners.length ? { presetOwners: required.owners } : {}) };
}

/**
 * Whether `actor` may make this decision on the request as it is now, read and judged without
 * writing anything: asked before anyone is sent to sign in, and again when deciding.
 */
export async function checkDecision(ctx: RequestContext, id: string, actor: Actor, decision: CreatingDecision): Promise<ActionOutcome> {
  return (await judgeDecision(ctx, id, actor, decision)).outcome;
}

function withoutAccess(ctx: RequestContext, identity: CreationIdentity, request: GroupRequest): ActionOutcome | undefined {
  if (!ctx.deps.approverAccessRequired || identity.access) return undefined;
  return {
    ok: false,
    request,
    refusal: {
      code: 'signInRequired',
      message: 'Sign in when Teams asks: the group is created with your own admin rights, so nothing is decided before you have signed in.',
    },
  };
}

/**
 * Approves the waiting stage in one conditional write; the last stage's approval starts the
 * creation in the same write, in the background: the caller answers the click at once, and the
 * outcome is stored with its changes for the bot to tell.
 */
export async function approve(ctx: DecisionContext, id: string, identity: CreationIdentity): Promise<ActionOutcome> {
  const judged = await judgeDecision(ctx, id, identity.actor, 'approve');
  if (!judged.outcome.ok) return judged.outcome;
  const missingAccess = withoutAccess(ctx, identity, judged.outcome.request);
  if (missingAccess) return missingAccess;
  const approval: RequestEvent = { type: 'approve', actor: identity.actor, presetOwners: judged.presetOwners, stage: judged.stage };
  const written = await applyEvents(ctx, id, judged.creates ? [approval, { type: 'startCreation', actor: identity.actor }] : approval);
  if (written.ok && written.request.status === 'creating') ctx.creations.start(written.request, identity);
  return written;
}

/** Retries a failed creation; a preset's service principal is looked up again, since it may have been made again since. */
export async function retry(ctx: DecisionContext, id: string, identity: CreationIdentity): Promise<ActionOutcome> {
  const { outcome: refused, presetOwners: owners } = await judgeDecision(ctx, id, identity.actor, 'retry');
  if (!refused.ok) return refused;
  const missingAccess = withoutAccess(ctx, identity, refused.request);
  if (missingAccess) return missingAccess;
  const retried = await applyEvents(ctx, id, { type: 'retry', actor: identity.actor, presetOwners: owners });
  if (retried.ok) ctx.creations.start(retried.request, identity);
  return retried;
}

/** Rejects at the waiting stage: the request ends there, whatever stages follow. */
export async function reject(ctx: RequestContext, id: string, actor: Actor, reason: string): Promise<ActionOutcome> {
  const request = await ctx.deps.store.get(id);
  if (!request) return notFound(id);
  const denied = await asStageApprover(ctx, actor, request, 'reject');
  if (denied) return denied;
  return applyEvents(ctx, id, { type: 'reject', actor, reason, stage: currentStageNumber(request) });
}

export async function cancel(ctx: RequestContext, id: string, actor: Actor): Promise<ActionOutcome> {
  return shownTo(ctx, actor, await applyEvents(ctx, id, { type: 'cancel', actor }));
}

/** Gives up a failed creation for good: a final state, and its mail nickname is free again. */
export async function abandon(ctx: RequestContext, id: string, actor: Actor): Promise<ActionOutcome> {
  const request = await ctx.deps.store.get(id);
  if (!request) return notFound(id);
  const denied = await asStageApprover(ctx, actor, request, 'abandon');
  if (denied) return denied;
  return applyEvents(ctx, id, { type: 'abandon', actor });
}
