import type { Actor, GroupRequest } from './groupRequest';
import { shownTo } from './requestAccess';
import type { ActionOutcome } from './requestOutcomes';
import type { RequestContext } from './requestServiceDeps';
import { applyEvents } from './requestWrites';

/**
 * Reminders, escalations and expiry of waiting requests. A sweep reads only the requests with a
 * step due (the stores' due index) and feeds each one "time passed": the workflow decides what
 * is due, and records it in the same conditional write as the messages it causes. Of two bot
 * instances sweeping at once, one writes; the other finds the step recorded, so nothing is sent
 * twice, and a restart finds what a stopped instance had recorded still waiting to be sent.
 */
export async function sweepWaiting(ctx: RequestContext, limit: number): Promise<GroupRequest[]> {
  const due = await ctx.deps.store.listDue(ctx.now(), limit);
  const moved: GroupRequest[] = [];
  for (const request of due) {
    const outcome = await applyEvents(ctx, request.id, { type: 'timePassed' });
    if (outcome.ok) moved.push(outcome.request);
  }
  return moved;
}

/** The requester asks the approvers to look at their request again; at most once a day. */
export async function remindApprovers(ctx: RequestContext, id: string, actor: Actor): Promise<ActionOutcome> {
  return shownTo(ctx, actor, await applyEvents(ctx, id, { type: 'remind', actor }));
}
