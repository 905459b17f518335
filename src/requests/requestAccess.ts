import type { Actor, GroupRequest } from './groupRequest';
import { notFound, type ActionOutcome, type ReadOutcome } from './requestOutcomes';
import type { RequestContext } from './requestServiceDeps';
import { sameActor } from './workflow';

/** Who may see a request: its requester, or an approver. */
export async function mayRead(ctx: RequestContext, actor: Actor, request: GroupRequest): Promise<boolean> {
  return sameActor(actor, request.requester) || (await ctx.deps.approvers.check(actor)).allowed;
}

/** One request for someone who may read it: its requester or an approver. */
export async function readRequest(ctx: RequestContext, actor: Actor, id: string): Promise<ReadOutcome> {
  const request = await ctx.deps.store.get(id);
  if (!request || !(await mayRead(ctx, actor, request))) return notFound(id);
  return { ok: true, request };
}

/** Keeps the request in a refusal only for someone who may read it. */
export async function shownTo(ctx: RequestContext, actor: Actor, outcome: ActionOutcome): Promise<ActionOutcome> {
  if (outcome.ok || !outcome.request || (await mayRead(ctx, actor, outcome.request))) return outcome;
  return { ok: false, refusal: outcome.refusal };
}
