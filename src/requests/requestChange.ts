import { currentStageNumber } from './approvalStages';
import type { GroupRequest, ReminderMark, RequestStatus } from './groupRequest';

/**
 * What happened to a request that people should hear of. It is stored in the same write as the
 * request itself (the store's outbox), so a bot that stops right after the write still tells
 * everyone once it runs again. Who hears of it, and how, is for the bot to decide.
 */
export type RequestChange =
  | { type: 'statusChanged'; from?: RequestStatus; to: RequestStatus }
  /** An approvals channel was chosen after the request was submitted: it needs its approval card. */
  | { type: 'approvalCardWanted' }
  /** A reminder was recorded: it goes in the approval card's thread. */
  | { type: 'reminded'; reminder: ReminderMark }
  /** The request was escalated: the escalation group's channel gets the approval card. */
  | { type: 'escalated' }
  /** A stage was approved and the next one waits (`stage` is the one approved): its approvers need their card. */
  | { type: 'stageApproved'; stage: number };

/** A change stored with a request and not yet fully delivered. */
export interface PendingChange {
  requestId: string;
  /** The version of the request written with it; with `index`, orders a request's changes. */
  version: number;
  index: number;
  change: RequestChange;
  /** Deliveries already made, by name: never made again. */
  delivered: string[];
}

/**
 * The changes a write from `previous` to `next` causes: a new status, a stage approved while the
 * request still waits, and the reminders and escalation its new history entries record. Stored
 * in the same write as those entries, so a reminder recorded is sent, and one sent was recorded:
 * a restart neither loses nor repeats it.
 */
export function changesBetween(previous: GroupRequest | undefined, next: GroupRequest): RequestChange[] {
  const status: RequestChange[] =
    previous && previous.status === next.status
      ? stageChanges(previous, next)
      : [{ type: 'statusChanged', ...(previous ? { from: previous.status } : {}), to: next.status }];
  return [...waitingChanges(previous, next), ...status];
}

function stageChanges(previous: GroupRequest, next: GroupRequest): RequestChange[] {
  const stage = currentStageNumber(previous);
  return next.status === 'submitted' && currentStageNumber(next) > stage ? [{ type: 'stageApproved', stage }] : [];
}

function waitingChanges(previous: GroupRequest | undefined, next: GroupRequest): RequestChange[] {
  return next.audit
    .slice(previous?.audit.length ?? 0)
    .flatMap((entry): RequestChange[] => [
      ...(entry.reminder ? [{ type: 'reminded' as const, reminder: entry.reminder }] : []),
      ...(entry.escalation ? [{ type: 'escalated' as const }] : []),
    ]);
}

/** Orders changes as they were written: by request, then version, then index. */
export function compareChanges(a: PendingChange, b: PendingChange): number {
  if (a.requestId !== b.requestId) return a.requestId < b.requestId ? -1 : 1;
  return a.version - b.version || a.index - b.index;
}
