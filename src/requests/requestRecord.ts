import type { Actor, AuditEntry, GroupRequest, MembershipType, Preset, ReminderMark, RequestStatus } from './groupRequest';

/**
 * What an auditor is given of one request: who asked for which group, every decision on it, every
 * reminder and escalation, and how its creation ended. Decisions, reminders and escalations are
 * read from the request's history, so whatever the workflow records there (stages included)
 * appears without this file changing.
 */
export interface RequestRecord {
  id: string;
  status: RequestStatus;
  submittedAt: string;
  requester: Actor;
  group: { displayName: string; mailNickname: string; description: string };
  /** Only for the Autopilot pair: the device group asked for beside `group`, the user group. */
  deviceGroup?: { displayName: string; mailNickname: string };
  kind: Preset;
  membershipType: MembershipType;
  /** Only for dynamic groups. */
  membershipRule?: string;
  decisions: RecordedDecision[];
  reminders: RecordedReminder[];
  escalations: RecordedEscalation[];
  creation: RecordedCreation;
}

/** A person's decision on the request, as its history has it. */
export interface RecordedDecision {
  /** The approval stage decided, when the request's route has more than one. */
  stage?: RecordedStage;
  decision: Decision;
  decider: Actor;
  at: string;
  reason?: string;
}

/** Approve and reject decide a request (or a stage); the others decide its fate after that. */
export const DECISIONS = ['approved', 'rejected', 'cancelled', 'retried', 'abandoned'] as const;
export type Decision = (typeof DECISIONS)[number];

/** 1 for the first stage, of how many the request's route has. */
export interface RecordedStage {
  number: number;
  of: number;
  name: string;
  /** The group whose member decided, when the route names one. */
  approversGroupId?: string;
}

export interface RecordedReminder {
  at: string;
  /** `schedule`: the route's remind-after passed; `requester`: they asked for it. */
  by: ReminderMark['by'];
  waitedMs: number;
  /** The history's own words for it. */
  action: string;
}

export interface RecordedEscalation {
  at: string;
  /** The group whose channel got the approval card. */
  approversGroupId: string;
  waitedMs: number;
  action: string;
}

/**
 * `notAttempted`: no creation was started (not approved, or decided otherwise); `underWay`: a
 * creation is running or was interrupted and will be resumed.
 */
export type CreationResult = 'created' | 'failed' | 'abandoned' | 'underWay' | 'notAttempted';

export interface RecordedCreation {
  result: CreationResult;
  /** The groups made for the request (two for the Autopilot pair): created, or made already by a creation that failed. */
  groupIds: string[];
  failure?: { code: string; message: string; at: string };
}

export function recordOf(request: GroupRequest): RequestRecord {
  const { spec } = request;
  return {
    id: request.id,
    status: request.status,
    submittedAt: request.createdAt,
    requester: request.requester,
    group: { displayName: spec.displayName, mailNickname: spec.mailNickname, description: spec.description },
    ...(spec.deviceGroup === undefined
      ? {}
      : { deviceGroup: { displayName: spec.deviceGroup.displayName, mailNickname: spec.deviceGroup.mailNickname } }),
    kind: spec.preset,
    membershipType: spec.membershipType,
    ...(spec.membershipRule === undefined ? {} : { membershipRule: spec.membershipRule }),
    decisions: request.audit.flatMap(decisionOf),
    reminders: request.audit.flatMap(({ at, action, reminder }) =>
      reminder ? [{ at, by: reminder.by, waitedMs: reminder.waitedMs, action }] : [],
    ),
    escalations: request.audit.flatMap(({ at, action, escalation }) =>
      escalation ? [{ at, approversGroupId: escalation.approversGroupId, waitedMs: escalation.waitedMs, action }] : [],
    ),
    creation: creationOf(request),
  };
}

function decisionOf(entry: AuditEntry): RecordedDecision[] {
  const decision = DECISIONS.find((word) => entry.action === word || entry.action.startsWith(`${word} `));
  if (decision === undefined || entry.actor === 'system') return [];
  const stage = stageOf(entry);
  return [
    {
      ...(stage === undefined ? {} : { stage }),
      decision,
      decider: entry.actor,
      at: entry.at,
      ...(entry.reason === undefined ? {} : { reason: entry.reason }),
    },
  ];
}

/**
 * The stage mark the workflow writes on a stage's decision, read by its shape: requests stored
 * before stages existed have none, and on a route of one stage it says nothing the decision does not.
 */
function stageOf(entry: AuditEntry): RecordedStage | undefined {
  const mark = (entry as { stage?: Partial<Record<keyof RecordedStage, unknown>> }).stage;
  if (typeof mark !== 'object' || mark === null || typeof mark.number !== 'number') return undefined;
  const of = typeof mark.of === 'number' ? mark.of : mark.number;
  if (of <= 1) return undefined;
  const name = typeof mark.name === 'string' ? mark.name : `Stage ${mark.number}`;
  const group = typeof mark.approversGroupId === 'string' ? { approversGroupId: mark.approversGroupId } : {};
  return { number: mark.number, of, name, ...group };
}

function creationOf(request: GroupRequest): RecordedCreation {
  const { group, deviceGroup, attempt } = request;
  const made = [group?.id, attempt?.groupId, deviceGroup?.id, attempt?.deviceGroupId];
  const groupIds = [...new Set(made.filter((id): id is string => id !== undefined))];
  const failure = request.failure && { code: request.failure.code, message: request.failure.message, at: request.failure.at };
  return { result: creationResultOf(request), groupIds, ...(failure ? { failure } : {}) };
}

function creationResultOf(request: GroupRequest): CreationResult {
  if (request.status === 'created') return 'created';
  if (request.status === 'abandoned') return 'abandoned';
  if (request.status === 'failed') return 'failed';
  return request.attempt ? 'underWay' : 'notAttempted';
}
