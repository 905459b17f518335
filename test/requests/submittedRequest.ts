import type { GroupRequest } from '../../src/requests/groupRequest';
import { applyEvent, type RequestEvent } from '../../src/requests/workflow';

/** A request as the state machine sees it, and the events applied to it, for its unit tests. */

export const REQUESTER = { aadObjectId: 'req-1', name: 'Megan Bowen' };
export const SUBMITTED_AT = '2026-11-25T10:00:00.000Z';
/** When every event in these tests happens. */
export const DECIDED_AT = '2026-11-25T11:00:00.000Z';

export function submittedRequest(overrides: Partial<GroupRequest> = {}): GroupRequest {
  return {
    id: 'ABCD2345',
    version: 1,
    status: 'submitted',
    spec: {
      preset: 'custom',
      displayName: 'Pilot',
      mailNickname: 'pilot',
      description: '',
      membershipType: 'assigned',
      members: [],
      owners: [],
      justification: 'why',
    },
    members: [],
    owners: [],
    requester: REQUESTER,
    tenantId: 't',
    cards: {},
    audit: [{ at: SUBMITTED_AT, actor: REQUESTER, action: 'submitted', to: 'submitted' }],
    createdAt: SUBMITTED_AT,
    updatedAt: SUBMITTED_AT,
    ...overrides,
  };
}

export const apply = (request: GroupRequest, event: RequestEvent) => applyEvent(request, event, DECIDED_AT);

/** The request after `event`, which must be accepted. */
export function accepted(request: GroupRequest, event: RequestEvent): GroupRequest {
  const result = apply(request, event);
  if (!result.ok) throw new Error(result.refusal.message);
  return result.request;
}

/** Why `event` is refused, which it must be. */
export function refused(request: GroupRequest, event: RequestEvent) {
  const result = apply(request, event);
  if (result.ok) throw new Error('expected a refusal');
  return result.refusal;
}
