import type { Actor, GroupRequest } from '../../src/requests/groupRequest';
import { applyEvent, type RequestEvent } from '../../src/requests/workflow';
import { sampleRequest } from '../storage/sampleRequest';

/** Requests with the histories the workflow writes, as an export finds them in a store. */

export const ADELE: Actor = { aadObjectId: '0f3c5a2e-7d41-4b8a-9e6f-1a2b3c4d5e6f', name: 'Adele Vance' };
export const LEE: Actor = { aadObjectId: '8b7a6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d', name: 'Lee Gu' };

/** A rule a naive CSV writer would break: commas, quotes and a line break. */
export const AWKWARD_RULE = '(user.department -eq "Sales, \\"EU\\"")\n-or (user.city -in ["Oslo","Bergen"])';
export const FAILURE_TEXT = 'Graph refused the group: "Insufficient privileges to complete the operation", code 403.';
export const CREATED_GROUP_ID = '5d0f6c1e-2b3a-4c9d-8e7f-6a5b4c3d2e1f';
/** The Autopilot pair's device group, and the user group Graph made before the creation failed. */
export const DEVICE_GROUP = { displayName: 'Autopilot devices, "Oslo"', mailNickname: 'autopilot-devices-oslo' };
export const USER_GROUP_ID = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
export const ESCALATION_GROUP_ID = '3c2b1a0f-9e8d-4c7b-a6f5-e4d3c2b1a0f9';
export const REJECTION = 'Use the existing "Sales EU" group instead';

function play(request: GroupRequest, steps: [RequestEvent, string][]): GroupRequest {
  return steps.reduce((current, [event, at]) => {
    const result = applyEvent(current, event, at);
    if (!result.ok) throw new Error(`${event.type} refused: ${result.refusal.message}`);
    return result.request;
  }, request);
}

export interface AuditedRequests {
  /** Dynamic, the awkward rule, a description Excel would run as a formula; approved and created. */
  created: GroupRequest;
  /** The Autopilot pair, approved; Graph made its user group, then refused the rest. */
  failed: GroupRequest;
  /** Rejected with a reason, on the second day. */
  rejected: GroupRequest;
  /**
   * Submitted on the third day and still waiting: the requester asked for a reminder after two
   * hours, its route reminded the approvers after four and escalated after a day.
   */
  waiting: GroupRequest;
}

export function auditedRequests(): AuditedRequests {
  const dynamic = sampleRequest({ createdAt: '2026-03-01T08:00:00.000Z' });
  dynamic.spec = {
    ...dynamic.spec,
    preset: 'autopilotUsers',
    membershipType: 'dynamic',
    membershipRule: AWKWARD_RULE,
    description: '=HYPERLINK("https://evil.example","Quarterly")',
  };
  const created = play(dynamic, [
    [{ type: 'approve', actor: ADELE }, '2026-03-01T08:30:00.000Z'],
    [{ type: 'startCreation', actor: ADELE }, '2026-03-01T08:30:01.000Z'],
    [{ type: 'groupFound', group: { id: CREATED_GROUP_ID, displayName: dynamic.spec.displayName } }, '2026-03-01T08:30:02.000Z'],
    [{ type: 'created', group: { id: CREATED_GROUP_ID, displayName: dynamic.spec.displayName } }, '2026-03-01T08:30:03.000Z'],
  ]);
  const pair = sampleRequest({ createdAt: '2026-03-01T09:00:00.000Z' });
  pair.spec = { ...pair.spec, preset: 'autopilotPair', deviceGroup: DEVICE_GROUP };
  const failed = play(pair, [
    [{ type: 'approve', actor: LEE }, '2026-03-01T09:10:00.000Z'],
    [{ type: 'startCreation', actor: LEE }, '2026-03-01T09:10:01.000Z'],
    [{ type: 'groupFound', group: { id: USER_GROUP_ID, displayName: pair.spec.displayName }, part: 'users' }, '2026-03-01T09:10:01.500Z'],
    [{ type: 'fail', code: 'Authorization_RequestDenied', message: FAILURE_TEXT, permanent: false }, '2026-03-01T09:10:02.000Z'],
  ]);
  const rejected = play(sampleRequest({ createdAt: '2026-03-02T10:00:00.000Z' }), [
    [{ type: 'reject', actor: ADELE, reason: REJECTION }, '2026-03-02T11:00:00.000Z'],
  ]);
  const submitted = sampleRequest({ createdAt: '2026-03-03T12:00:00.000Z' });
  submitted.spec.description = '-1 is not a formula; @mention neither';
  submitted.route = {
    name: 'Finance',
    stages: [{ name: 'Approval', approversGroupId: '7e6d5c4b-3a29-4f18-8e07-d6c5b4a39281' }],
    remindAfter: { iso: 'PT4H', ms: 4 * 3_600_000 },
    escalation: { after: { iso: 'P1D', ms: 86_400_000 }, approversGroupId: ESCALATION_GROUP_ID },
  };
  const waiting = play(submitted, [
    [{ type: 'remind', actor: submitted.requester }, '2026-03-03T14:00:00.000Z'],
    [{ type: 'timePassed' }, '2026-03-03T16:00:00.000Z'],
    [{ type: 'timePassed' }, '2026-03-04T12:00:00.000Z'],
  ]);
  return { created, failed, rejected, waiting };
}
