import type { AuditEntry, GroupRequest, ReminderMark } from './groupRequest';

/**
 * How long a request has waited for a decision, and what its route says is due by now: a
 * reminder, the escalation, or expiry. Every clock runs from submission. What was done is read
 * from the request's history, so a reminder or an escalation recorded there is never due again.
 */

/** A request may ask its approvers for a reminder this often. */
export const REQUESTER_REMINDER_EVERY_MS = 24 * 60 * 60 * 1000;

export type Due = 'remind' | 'escalate' | 'expire';

export function waitedMs(request: Pick<GroupRequest, 'createdAt'>, now: string): number {
  return Math.max(0, Date.parse(now) - Date.parse(request.createdAt));
}

function reminders(request: Pick<GroupRequest, 'audit'>, by: ReminderMark['by']): AuditEntry[] {
  return request.audit.filter((entry) => entry.reminder?.by === by);
}

export function wasEscalated(request: Pick<GroupRequest, 'audit'>): boolean {
  return request.audit.some((entry) => entry.escalation);
}

/** The group whose members may decide this request too: its escalation group, once escalated and while it waits. */
export function escalationGroupOf(request: Pick<GroupRequest, 'status' | 'route' | 'audit'>): string | undefined {
  return request.status === 'submitted' && wasEscalated(request) ? request.route?.escalation?.approversGroupId : undefined;
}

/** The moments, from submission, each step of the route falls due, for the steps not yet taken. */
function pendingSteps(request: Pick<GroupRequest, 'status' | 'route' | 'audit'>): [Due, number][] {
  const route = request.route;
  if (request.status !== 'submitted' || !route) return [];
  const steps: [Due, number][] = [];
  if (route.remindAfter && reminders(request, 'schedule').length === 0) steps.push(['remind', route.remindAfter.ms]);
  if (route.escalation && !wasEscalated(request)) steps.push(['escalate', route.escalation.after.ms]);
  if (route.expireAfter) steps.push(['expire', route.expireAfter.ms]);
  return steps;
}

/** What is due at `now`, in the order it is done; expiry alone when it is due (a reminder then is pointless). */
export function dueAt(request: Pick<GroupRequest, 'status' | 'route' | 'audit' | 'createdAt'>, now: string): Due[] {
  const waited = waitedMs(request, now);
  const due = pendingSteps(request)
    .filter(([, after]) => after <= waited)
    .map(([step]) => step);
  return due.includes('expire') ? ['expire'] : due;
}

/**
 * When the next step falls due (an ISO timestamp), or undefined when none will: the stores keep
 * an index on it, so a sweep reads only the requests due, never all of them.
 */
export function nextDueAt(request: Pick<GroupRequest, 'status' | 'route' | 'audit' | 'createdAt'>): string | undefined {
  const steps = pendingSteps(request);
  if (steps.length === 0) return undefined;
  const first = Math.min(...steps.map(([, after]) => after));
  return new Date(Date.parse(request.createdAt) + first).toISOString();
}

/** When the requester may ask for a reminder again, if not now. */
export function requesterMayRemindAt(request: Pick<GroupRequest, 'audit'>, now: string): string | undefined {
  const last = reminders(request, 'requester').at(-1);
  if (!last) return undefined;
  const next = Date.parse(last.at) + REQUESTER_REMINDER_EVERY_MS;
  return next > Date.parse(now) ? new Date(next).toISOString() : undefined;
}

/** "3 days 4 hours", "2 hours 5 minutes", "40 seconds": the two largest units, for people to read. */
export function durationWords(ms: number): string {
  const units: [string, number][] = [
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
    ['second', 1000],
  ];
  const parts: string[] = [];
  let rest = ms;
  for (const [name, size] of units) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 || parts.length > 0) parts.push(count > 0 ? `${count} ${name}${count === 1 ? '' : 's'}` : '');
    if (parts.length === 2) break;
  }
  return parts.filter(Boolean).join(' ') || 'less than a second';
}
