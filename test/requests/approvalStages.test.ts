import { stageDecisions } from '../../src/requests/approvalStages';
import type { GroupRequest } from '../../src/requests/groupRequest';
import { changesBetween } from '../../src/requests/requestChange';
import { REQUESTER as requester, accepted, refused, submittedRequest } from './submittedRequest';

/** Stages in the pure state machine: in order, one person per stage, never the requester, a rejection ends it. */

const nestor = { aadObjectId: 'app-1', name: 'Nestor Wilke' };
const adele = { aadObjectId: 'app-2', name: 'Adele Vance' };
const lee = { aadObjectId: 'app-3', name: 'Lee Gu' };

const route = {
  name: 'Security groups',
  stages: [
    { name: 'Identity review', approversGroupId: 'g-identity' },
    { name: 'Group approvers', approversGroupId: 'g-approvers' },
    { name: 'CISO office', approversGroupId: 'g-ciso' },
  ],
};

const request = (overrides: Partial<GroupRequest> = {}) => submittedRequest({ route, ...overrides });

it('stays submitted until the last stage approves, each approval a stage decision in the history', () => {
  const one = accepted(request(), { type: 'approve', actor: nestor, stage: 1 });
  const two = accepted(one, { type: 'approve', actor: adele, stage: 2 });
  const three = accepted(two, { type: 'approve', actor: lee, stage: 3 });
  expect([one.status, two.status, three.status]).toEqual(['submitted', 'submitted', 'approved']);
  expect([one.approver, two.approver, three.approver]).toEqual([undefined, undefined, lee]);
  expect(stageDecisions(three).map((d) => [d.number, d.of, d.name, d.approversGroupId, d.outcome, d.by.name, d.at])).toEqual([
    [1, 3, 'Identity review', 'g-identity', 'approved', 'Nestor Wilke', '2026-11-25T11:00:00.000Z'],
    [2, 3, 'Group approvers', 'g-approvers', 'approved', 'Adele Vance', '2026-11-25T11:00:00.000Z'],
    [3, 3, 'CISO office', 'g-ciso', 'approved', 'Lee Gu', '2026-11-25T11:00:00.000Z'],
  ]);
  expect(three.audit.map((a) => a.action)).toEqual([
    'submitted',
    'approved stage 1 of 3 (Identity review)',
    'approved stage 2 of 3 (Group approvers)',
    'approved stage 3 of 3 (CISO office)',
  ]);
  expect(changesBetween(request(), one)).toEqual([{ type: 'stageApproved', stage: 1 }]);
  expect(changesBetween(two, three)).toEqual([{ type: 'statusChanged', from: 'submitted', to: 'approved' }]);
});

it('lets nobody decide two stages, approving or rejecting', () => {
  const one = accepted(request(), { type: 'approve', actor: nestor, stage: 1 });
  expect(refused(one, { type: 'approve', actor: nestor, stage: 2 })).toEqual({
    code: 'decidedOtherStage',
    message:
      'You decided stage 1 of 3 (Identity review) of this request, so someone else must decide stage 2 of 3 (Group approvers): nobody decides two stages.',
  });
  expect(refused(one, { type: 'reject', actor: nestor, reason: 'no', stage: 2 }).code).toBe('decidedOtherStage');
});

it('refuses an approval meant for a stage decided meanwhile, so it never counts for the next', () => {
  const one = accepted(request(), { type: 'approve', actor: nestor, stage: 1 });
  expect(refused(one, { type: 'approve', actor: adele, stage: 1 })).toMatchObject({ code: 'alreadyDecided' });
});

it('lets the requester decide no stage', () => {
  expect(refused(request(), { type: 'approve', actor: requester, stage: 1 }).code).toBe('ownRequest');
});

it('ends the request at a rejection in any stage, with the reason', () => {
  const one = accepted(request(), { type: 'approve', actor: nestor, stage: 1 });
  const rejected = accepted(one, { type: 'reject', actor: adele, reason: 'Use the audit group', stage: 2 });
  expect(rejected).toMatchObject({ status: 'rejected', approver: adele, decisionReason: 'Use the audit group' });
  expect(stageDecisions(rejected).at(-1)).toMatchObject({ number: 2, outcome: 'rejected', by: adele, reason: 'Use the audit group' });
  expect(refused(rejected, { type: 'approve', actor: lee, stage: 3 }).code).toBe('alreadyDecided');
});

it('reads a request stored before stages as one stage, its decision included', () => {
  const legacy = request({ route: undefined });
  const approved = accepted(legacy, { type: 'approve', actor: adele });
  expect(approved.status).toBe('approved');
  const old = { ...approved, audit: approved.audit.map(({ stage: _stage, ...entry }) => entry) };
  expect(stageDecisions(old)).toEqual([
    { number: 1, of: 1, name: 'Approval', outcome: 'approved', by: adele, at: '2026-11-25T11:00:00.000Z' },
  ]);
});
