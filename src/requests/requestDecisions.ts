import type { CreationRunner } from './creationRunner';
import type { Actor, DirectoryPrincipal, GroupRequest } from './groupRequest';
import { presetOwners } from './presetOwners';
import { asApprover, shownTo } from './requestAccess';
import { notFound, type ActionOutcome } from './requestOutcomes';
import type { CreatingDecision, CreationIdentity, RequestContext } from './requestServiceDeps';
import { applyEvents } from './requestWrites';
import { applyEvent } from './workflow';

/** A service's context with the runner its creating decisions hand their work to. */
export interface DecisionContext extends RequestContext {
  readonly creations: CreationRunner;
}

/**
 * The decision judged, and the owners the group's kind requires as the directory has them now:
 * a device group is never made without its owner, so a decision waits until it exists.
 */
async function judgeDecision(
  ctx: RequestContext,
  id: string,
  actor: Actor,
  decision: CreatingDecision,
): Promise<{ outcome: ActionOutcome; presetOwners?: DirectoryPrincipal[] }> {
  const denied = await asApprover(ctx, actor, id);
  if (denied) return { outcome: denied };
  const request = await ctx.deps.store.get(id);
  if (!request) return { outcome: notFound(id) };
  const judged = applyEvent(request, { type: decision, actor }, ctx.now());
  if (!judged.ok) return { outcome: { ok: false, refusal: judged.refusal, request } };
  const required = await presetOwners(ctx.deps.directory, request.spec.preset);
  if (required.problem) {
    const message = `${required.problem} Nothing was changed: decide again once it exists.`;
    return { outcome: { ok: false, refusal: { code: 'presetOwnerMissing', message }, request } };
  }
  return { outcome: { ok: true, request }, ...(required.owners.length ? { presetOwners: required.owners } : {}) };
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
 * Approves and starts the creation in the background: the caller answers the click at once,
 * and the outcome is stored with its changes for the bot to tell.
 */
export async function approve(ctx: DecisionContext, id: string, identity: CreationIdentity): Promise<ActionOutcome> {
  const { outcome: refused, presetOwners: owners } = await judgeDecision(ctx, id, identity.actor, 'approve');
  if (!refused.ok) return refused;
  const missingAccess = withoutAccess(ctx, identity, refused.request);
  if (missingAccess) return missingAccess;
  const creating = await applyEvents(ctx, id, [
    { type: 'approve', actor: identity.actor, presetOwners: owners },
    { type: 'startCreation', actor: identity.actor },
  ]);
  if (creating.ok) ctx.creations.start(creating.request, identity);
  return creating;
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

export async function reject(ctx: RequestContext, id: string, actor: Actor, reason: string): Promise<ActionOutcome> {
  const denied = await asApprover(ctx, actor, id);
  if (denied) return denied;
  return applyEvents(ctx, id, { type: 'reject', actor, reason });
}

export async function cancel(ctx: RequestContext, id: string, actor: Actor): Promise<ActionOutcome> {
  return shownTo(ctx, actor, await applyEvents(ctx, id, { type: 'cancel', actor }));
}

/** Gives up a failed creation for good: a final state, and its mail nickname is free again. */
export async function abandon(ctx: RequestContext, id: string, actor: Actor): Promise<ActionOutcome> {
  const denied = await asApprover(ctx, actor, id);
  if (denied) return denied;
  return applyEvents(ctx, id, { type: 'abandon', actor });
}
