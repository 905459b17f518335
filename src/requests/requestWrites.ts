import type { GroupRequest } from './groupRequest';
import { changesBetween } from './requestChange';
import { notFound, type ActionOutcome } from './requestOutcomes';
import type { RequestContext } from './requestServiceDeps';
import { VersionConflictError } from './requestStore';
import { applyEvent, type RequestEvent } from './workflow';

/**
 * Writes under optimistic concurrency: each write is conditional on the version read, and what
 * to do when another writer came first is decided here.
 */

/**
 * Applies an event with one conditional write. When someone else wrote first (a second
 * approver, say) the event is judged again against what they wrote, unless it was a claim.
 */
export async function applyEvents(
  ctx: RequestContext,
  id: string,
  events: RequestEvent | readonly RequestEvent[],
  judgeAgain = true,
): Promise<ActionOutcome> {
  const request = await ctx.deps.store.get(id);
  if (!request) return notFound(id);
  // Several events (approve, then start the creation) become one version: one conditional write.
  let next = request;
  for (const event of [events].flat()) {
    const judged = applyEvent(next, event, ctx.now());
    if (!judged.ok) return { ok: false, refusal: judged.refusal, request };
    next = judged.request;
  }
  const updated = { ...next, version: request.version + 1 };
  try {
    await ctx.deps.store.replace(request, updated, changesBetween(request, updated));
  } catch (error) {
    if (error instanceof VersionConflictError) {
      if (judgeAgain) return applyEvents(ctx, id, events);
      return { ok: false, refusal: { code: 'takenByAnotherInstance', message: 'Another bot instance took this request.' } };
    }
    throw error;
  }
  return { ok: true, request: updated };
}

/**
 * Once an approvals channel is chosen, the requests that waited for one (up to `limit`) are
 * marked as wanting their approval card; the bot posts them as it delivers changes.
 */
export async function wantApprovalCards(ctx: RequestContext, waiting: readonly GroupRequest[]): Promise<GroupRequest[]> {
  const marked: GroupRequest[] = [];
  for (const request of waiting.filter((r) => !r.cards.approvalActivityId)) {
    try {
      await ctx.deps.store.replace(request, { ...request, version: request.version + 1 }, [{ type: 'approvalCardWanted' }]);
      marked.push(request);
    } catch (error) {
      // Changed meanwhile (decided, or its card posted): it no longer waits for this.
      if (!(error instanceof VersionConflictError)) throw error;
    }
  }
  return marked;
}
