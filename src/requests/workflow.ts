import { currentStageNumber, stageCount, stageDecidedBy, stageWords } from './approvalStages';
import type {
  Actor,
  AuditEntry,
  CreatedGroup,
  DirectoryPrincipal,
  GroupPart,
  GroupRequest,
  RequestStatus,
  StageMark,
} from './groupRequest';
import { hiddenCharacterProblem, isBlank } from './textHygiene';
import { dueAt, durationWords, requesterMayRemindAt, waitedMs } from './waitingClock';

/**
 * The request's life as pure functions: each event either yields the next version of the
 * request (with its audit entry) or a refusal saying why, in words for the person who clicked.
 *
 *   submitted → approved → creating → created
 *   submitted → rejected | cancelled
 *   submitted → submitted: a stage approved while later stages wait (one to three stages per route)
 *   creating → failed → creating (retry)
 *   failed → abandoned (an approver gives up; the mail nickname is free again)
 *   submitted → expired (it waited longer than its route's expire-after)
 *   submitted → submitted: a reminder or the escalation, recorded in the history
 *
 * Final states: created, rejected, cancelled, abandoned, expired. Every other state can always be moved
 * on by someone, so no request is stuck.
 */

export type RequestEvent =
  /**
   * `presetOwners`: the owners the group's kind requires, as the directory has them when the
   * approver decides (a service principal made again since submission has a new object id).
   * `stage`: the stage the approver's rights were checked for; refused once another is waiting.
   */
  | { type: 'approve'; actor: Actor; presetOwners?: DirectoryPrincipal[]; stage?: number }
  | { type: 'reject'; actor: Actor; reason: string; stage?: number }
  | { type: 'cancel'; actor: Actor }
  | { type: 'startCreation'; actor: Actor | 'system' }
  /** `part`: which group of the request, when it makes two (the Autopilot pair). */
  | { type: 'groupFound'; group: CreatedGroup; part?: GroupPart }
  | { type: 'membersAdded'; memberIds: string[]; ownerIds: string[]; part?: GroupPart }
  | { type: 'created'; group: CreatedGroup; deviceGroup?: CreatedGroup }
  | { type: 'fail'; code: string; message: string; permanent?: boolean }
  /**
   * The approver who retries becomes the one whose rights and ownership the creation uses;
   * `presetOwners` as for approve, looked up again at the retry.
   */
  | { type: 'retry'; actor: Actor; presetOwners?: DirectoryPrincipal[] }
  | { type: 'abandon'; actor: Actor }
  /** Claims an interrupted creation after a restart, so only one bot instance resumes it. */
  | { type: 'resume' }
  /** A sweep looked at the clock: whatever the request's route says is due by now is done. */
  | { type: 'timePassed' }
  /** The requester asks the approvers to look at their request ("remind <id>"). */
  | { type: 'remind'; actor: Actor };

export type RefusalCode =
  | 'notFound'
  | 'notApprover'
  | 'alreadyDecided'
  | 'ownRequest'
  /** This person decided another stage of the request: each stage needs someone else. */
  | 'decidedOtherStage'
  | 'notRequester'
  | 'reasonRequired'
  | 'unreadableText'
  | 'notFailed'
  | 'signInRequired'
  | 'presetOwnerMissing'
  /** The request is not approved, so no group may be created for it. */
  | 'notApproved'
  /** A creation step for a request whose creation is not under way (already finished or never started). */
  | 'noCreationUnderWay'
  /** Another bot instance changed the request first and took the action over. */
  | 'takenByAnotherInstance'
  /** Time passed, but nothing the request's route says is due yet (or another instance did it). */
  | 'nothingDue'
  /** The requester asked for a reminder less than a day ago. */
  | 'remindedRecently';

export interface Refusal {
  code: RefusalCode;
  message: string;
}

export type TransitionResult = { ok: true; request: GroupRequest } | { ok: false; refusal: Refusal };

const STATUS_WORDS: Record<RequestStatus, string> = {
  submitted: 'waiting for approval',
  approved: 'approved',
  creating: 'being created',
  created: 'created',
  rejected: 'rejected',
  cancelled: 'cancelled',
  failed: 'failed',
  abandoned: 'abandoned',
  expired: 'expired',
};

export function describeStatus(status: RequestStatus): string {
  return STATUS_WORDS[status];
}

/**
 * Whether two actors are the same person. Entra object ids are GUIDs, which compare without
 * case: an activity that spells the requester's id in capitals is still the requester.
 */
export function sameActor(a: Actor, b: Actor): boolean {
  return a.aadObjectId.toLowerCase() === b.aadObjectId.toLowerCase();
}

/** How the audit names a group of the request: the pair says which. */
function partWords(part: GroupPart | undefined): string {
  return part === 'devices' ? 'device group ' : part === 'users' ? 'user group ' : 'group ';
}

function refuse(code: RefusalCode, message: string): TransitionResult {
  return { ok: false, refusal: { code, message } };
}

function next(
  request: GroupRequest,
  to: RequestStatus,
  now: string,
  entry: Pick<AuditEntry, 'actor' | 'action' | 'reason' | 'reminder' | 'escalation' | 'stage'>,
  changes: Partial<GroupRequest> = {},
): TransitionResult {
  const audit: AuditEntry = { at: now, from: request.status, to, ...entry };
  return {
    ok: true,
    request: {
      ...request,
      ...changes,
      status: to,
      version: request.version + 1,
      updatedAt: now,
      audit: [...request.audit, audit],
    },
  };
}

/** The request's owners with the preset's service principals as the directory has them now, when they were looked up. */
function ownersWith(request: GroupRequest, presetOwners: DirectoryPrincipal[] | undefined): Partial<GroupRequest> {
  if (!presetOwners) return {};
  return { owners: [...presetOwners, ...request.owners.filter((owner) => owner.kind !== 'servicePrincipal')] };
}

function waitingForDecision(request: GroupRequest): TransitionResult | undefined {
  if (request.status === 'submitted') return undefined;
  const by = request.approver ? ` by ${request.approver.name}` : '';
  return refuse('alreadyDecided', `This request is already ${describeStatus(request.status)}${by}.`);
}

/**
 * The stage a decision by `actor` would decide, or why they may not: the stage they were
 * checked for has been decided meanwhile, or they decided another stage of this request.
 */
function stageToDecide(request: GroupRequest, actor: Actor, checkedFor: number | undefined): Omit<StageMark, 'outcome'> | TransitionResult {
  const number = currentStageNumber(request);
  const of = stageCount(request);
  const stage = request.route?.stages[number - 1];
  const mark = { number, of, name: stage?.name ?? 'Approval', ...(stage ? { approversGroupId: stage.approversGroupId } : {}) };
  if (checkedFor !== undefined && checkedFor !== number) {
    return refuse('alreadyDecided', `Stage ${checkedFor} of this request was decided meanwhile; ${stageWords(mark)} is waiting now.`);
  }
  const earlier = stageDecidedBy(request, actor);
  if (earlier) {
    return refuse(
      'decidedOtherStage',
      `You decided ${stageWords(earlier)} of this request, so someone else must decide ${stageWords(mark)}: nobody decides two stages.`,
    );
  }
  return mark;
}

const isRefusal = (value: object): value is TransitionResult => 'ok' in value;

/**
 * The stage mark a decision's history entry carries on a routed request; a request with no route
 * has one stage and its approval or rejection speaks for itself, as before stages existed.
 */
function stageMark(request: GroupRequest, stage: Omit<StageMark, 'outcome'>, outcome: StageMark['outcome']): { stage?: StageMark } {
  return request.route ? { stage: { ...stage, outcome } } : {};
}

/** Applies one event. `now` is an ISO timestamp. Approver rights are checked before, by the caller. */
export function applyEvent(request: GroupRequest, event: RequestEvent, now: string): TransitionResult {
  switch (event.type) {
    case 'approve': {
      const refused = waitingForDecision(request);
      if (refused) return refused;
      if (sameActor(event.actor, request.requester)) {
        return refuse('ownRequest', 'You asked for this group, so another approver must decide on it.');
      }
      const stage = stageToDecide(request, event.actor, event.stage);
      if (isRefusal(stage)) return stage;
      const approved = { actor: event.actor, ...stageMark(request, stage, 'approved') };
      if (stage.number < stage.of) {
        return next(request, 'submitted', now, { ...approved, action: `approved ${stageWords(stage)}` });
      }
      const action = stage.of > 1 ? `approved ${stageWords(stage)}` : 'approved';
      return next(request, 'approved', now, { ...approved, action }, { approver: event.actor, ...ownersWith(request, event.presetOwners) });
    }
    case 'reject': {
      const refused = waitingForDecision(request);
      if (refused) return refused;
      if (sameActor(event.actor, request.requester)) {
        return refuse('ownRequest', 'You asked for this group, so another approver must decide on it. To withdraw it, cancel it.');
      }
      const stage = stageToDecide(request, event.actor, event.stage);
      if (isRefusal(stage)) return stage;
      const reason = event.reason.trim();
      if (isBlank(reason)) return refuse('reasonRequired', 'Say why the request is rejected: the requester reads it.');
      const unreadable = hiddenCharacterProblem(reason, false);
      if (unreadable) return refuse('unreadableText', `The reason cannot be sent as it is. ${unreadable}`);
      const action = stage.of > 1 ? `rejected at ${stageWords(stage)}` : 'rejected';
      return next(
        request,
        'rejected',
        now,
        { actor: event.actor, action, reason, ...stageMark(request, stage, 'rejected') },
        { approver: event.actor, decisionReason: reason },
      );
    }
    case 'cancel': {
      if (!sameActor(event.actor, request.requester)) {
        return refuse('notRequester', 'Only the person who asked for this group can cancel the request.');
      }
      if (request.status !== 'submitted') {
        return refuse('alreadyDecided', `This request is already ${describeStatus(request.status)} and can no longer be cancelled.`);
      }
      return next(request, 'cancelled', now, { actor: event.actor, action: 'cancelled' });
    }
    case 'startCreation': {
      if (request.status !== 'approved')
        return refuse('notApproved', `Cannot create a group for a request that is ${describeStatus(request.status)}.`);
      const attempt = { number: 1, startedAt: now, addedMembers: [], addedOwners: [] };
      return next(request, 'creating', now, { actor: event.actor, action: 'creation started' }, { attempt });
    }
    case 'groupFound': {
      if (request.status !== 'creating' || !request.attempt) return refuse('noCreationUnderWay', 'No creation is under way.');
      const found = event.part === 'devices' ? { deviceGroupId: event.group.id } : { groupId: event.group.id };
      return next(
        request,
        'creating',
        now,
        { actor: 'system', action: `${partWords(event.part)}${event.group.id} made in the directory` },
        { attempt: { ...request.attempt, ...found } },
      );
    }
    case 'membersAdded': {
      if (request.status !== 'creating' || !request.attempt) return refuse('noCreationUnderWay', 'No creation is under way.');
      const attempt = request.attempt;
      return next(
        request,
        'creating',
        now,
        {
          actor: 'system',
          action: `${event.memberIds.length} members and ${event.ownerIds.length} owners added${event.part === 'devices' ? ' to the device group' : ''}`,
        },
        {
          attempt: {
            ...attempt,
            addedMembers: [...new Set([...attempt.addedMembers, ...event.memberIds])],
            addedOwners: [...new Set([...attempt.addedOwners, ...event.ownerIds])],
          },
        },
      );
    }
    case 'created': {
      if (request.status !== 'creating') return refuse('noCreationUnderWay', 'No creation is under way.');
      const deviceGroup = event.deviceGroup ? { deviceGroup: event.deviceGroup } : {};
      return next(
        request,
        'created',
        now,
        { actor: 'system', action: 'created' },
        { group: event.group, ...deviceGroup, failure: undefined },
      );
    }
    case 'fail': {
      if (request.status !== 'creating') return refuse('noCreationUnderWay', 'No creation is under way.');
      return next(
        request,
        'failed',
        now,
        { actor: 'system', action: 'failed', reason: event.message },
        { failure: { code: event.code, message: event.message, at: now, ...(event.permanent ? { permanent: true } : {}) } },
      );
    }
    case 'resume': {
      if (request.status !== 'creating') return refuse('noCreationUnderWay', 'No creation is under way.');
      return next(request, 'creating', now, { actor: 'system', action: 'creation resumed after a restart' });
    }
    case 'retry': {
      if (sameActor(event.actor, request.requester)) {
        return refuse('ownRequest', 'You asked for this group, so another approver must retry its creation.');
      }
      if (request.status !== 'failed') {
        return refuse('notFailed', `Only a failed creation can be retried; this request is ${describeStatus(request.status)}.`);
      }
      const previous = request.attempt;
      const attempt = {
        number: (previous?.number ?? 0) + 1,
        startedAt: now,
        groupId: previous?.groupId,
        deviceGroupId: previous?.deviceGroupId,
        addedMembers: previous?.addedMembers ?? [],
        addedOwners: previous?.addedOwners ?? [],
      };
      return next(
        request,
        'creating',
        now,
        { actor: event.actor, action: 'retried' },
        { attempt, failure: undefined, approver: event.actor, ...ownersWith(request, event.presetOwners) },
      );
    }
    case 'timePassed':
      return timePassed(request, now);
    case 'remind': {
      if (!sameActor(event.actor, request.requester)) {
        return refuse('notRequester', 'Only the person who asked for this group can send its approvers a reminder.');
      }
      if (request.status !== 'submitted') {
        return refuse('alreadyDecided', `This request is already ${describeStatus(request.status)}: there is nothing to remind anyone of.`);
      }
      const nextAllowed = requesterMayRemindAt(request, now);
      if (nextAllowed) {
        return refuse(
          'remindedRecently',
          `You already sent a reminder for this request in the last day; you can send the next one from ${nextAllowed.slice(0, 16).replace('T', ' ')} UTC.`,
        );
      }
      const waited = waitedMs(request, now);
      return next(request, 'submitted', now, {
        actor: event.actor,
        action: `asked for a reminder after waiting ${durationWords(waited)}`,
        reminder: { by: 'requester', waitedMs: waited },
      });
    }
    case 'abandon': {
      if (request.status !== 'failed') {
        return refuse('notFailed', `Only a failed creation can be abandoned; this request is ${describeStatus(request.status)}.`);
      }
      return next(request, 'abandoned', now, { actor: event.actor, action: 'abandoned', reason: request.failure?.message });
    }
  }
}

/** Does what the request's route says is due by `now`, as one new version; refused when nothing is. */
function timePassed(request: GroupRequest, now: string): TransitionResult {
  const due = dueAt(request, now);
  if (due.length === 0) return refuse('nothingDue', `Nothing is due on this request, which is ${describeStatus(request.status)}.`);
  const waited = waitedMs(request, now);
  const words = durationWords(waited);
  if (due.includes('expire')) {
    return next(request, 'expired', now, { actor: 'system', action: `expired after waiting ${words} for a decision` });
  }
  let result = request;
  for (const step of due) {
    const escalation = step === 'escalate' ? request.route?.escalation : undefined;
    const entry = escalation
      ? {
          action: `escalated after waiting ${words}`,
          escalation: { approversGroupId: escalation.approversGroupId, waitedMs: waited },
        }
      : { action: `reminded the approvers after waiting ${words}`, reminder: { by: 'schedule' as const, waitedMs: waited } };
    const moved = next(result, 'submitted', now, { actor: 'system', ...entry });
    if (!moved.ok) return moved;
    result = moved.request;
  }
  return { ok: true, request: { ...result, version: request.version + 1 } };
}
