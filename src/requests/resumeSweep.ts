import type { CreationRunner } from './creationRunner';
import type { GroupRequest } from './groupRequest';
import type { CreationIdentity, RequestContext } from './requestServiceDeps';
import { applyEvents } from './requestWrites';
import type { RequestEvent } from './workflow';

/** How many interrupted creations one sweep takes over; the next sweep takes the rest. */
const MAX_OPEN_REQUESTS = 5000;

/**
 * Finishes creations that were under way when a bot instance stopped: at start, and then
 * from time to time. A creation counts as abandoned once nothing was written to it for
 * `staleForMs` (a working instance writes at every step); each is claimed with one
 * conditional write first, so of several bot instances only one takes it over.
 */
export async function resumeInterrupted(
  ctx: RequestContext,
  runner: CreationRunner,
  identityFor: (request: GroupRequest) => CreationIdentity,
  staleForMs: number,
): Promise<GroupRequest[]> {
  const interrupted = await ctx.deps.store.listByStatus(['approved', 'creating'], MAX_OPEN_REQUESTS);
  const staleBefore = Date.parse(ctx.now()) - staleForMs;
  const resumed: GroupRequest[] = [];
  for (const request of interrupted) {
    if (runner.isRunning(request.id) || Date.parse(request.updatedAt) > staleBefore) continue;
    const claimEvent: RequestEvent = request.status === 'approved' ? { type: 'startCreation', actor: 'system' } : { type: 'resume' };
    const claim = await applyEvents(ctx, request.id, claimEvent, false);
    if (!claim.ok) continue;
    runner.start(claim.request, identityFor(claim.request));
    resumed.push(claim.request);
  }
  return resumed;
}
