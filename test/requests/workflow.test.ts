import type { RequestEvent } from '../../src/requests/workflow';
import { REQUESTER as requester, accepted, apply, submittedRequest as request } from './submittedRequest';

const approver = { aadObjectId: 'app-1', name: 'Adele Vance' };

describe('the request state machine', () => {
  it('walks submitted → approved → creating → created, one version and one audit entry per step', () => {
    const approved = accepted(request(), { type: 'approve', actor: approver });
    const creating = accepted(approved, { type: 'startCreation', actor: approver });
    const found = accepted(creating, { type: 'groupFound', group: { id: 'g1', displayName: 'Pilot' } });
    const created = accepted(found, { type: 'created', group: { id: 'g1', displayName: 'Pilot' } });
    expect([approved, creating, found, created].map((r) => [r.status, r.version])).toEqual([
      ['approved', 2],
      ['creating', 3],
      ['creating', 4],
      ['created', 5],
    ]);
    expect(created.approver).toEqual(approver);
    expect(created.audit.map((a) => `${a.from ?? ''}>${a.to}`)).toEqual([
      '>submitted',
      'submitted>approved',
      'approved>creating',
      'creating>creating',
      'creating>created',
    ]);
    expect(created.audit[1]).toMatchObject({ actor: approver, at: '2026-11-25T11:00:00.000Z' });
  });

  it('refuses a decision by the requester on their own request', () => {
    for (const e of [
      { type: 'approve', actor: requester },
      { type: 'reject', actor: requester, reason: 'no' },
    ] as RequestEvent[]) {
      expect(apply(request(), e)).toEqual({ ok: false, refusal: expect.objectContaining({ code: 'ownRequest' }) });
    }
  });

  it('lets the first decision win: a second approval or a rejection after it is refused', () => {
    const approved = accepted(request(), { type: 'approve', actor: approver });
    const second = apply(approved, { type: 'approve', actor: { aadObjectId: 'app-2', name: 'Lee Gu' } });
    expect(second).toEqual({ ok: false, refusal: { code: 'alreadyDecided', message: 'This request is already approved by Adele Vance.' } });
    expect(apply(approved, { type: 'reject', actor: approver, reason: 'late' }).ok).toBe(false);
  });

  it('needs a reason to reject, and keeps it for the requester', () => {
    expect(apply(request(), { type: 'reject', actor: approver, reason: '   ' })).toEqual({
      ok: false,
      refusal: expect.objectContaining({ code: 'reasonRequired' }),
    });
    const rejected = accepted(request(), { type: 'reject', actor: approver, reason: ' Use the existing group ' });
    expect(rejected).toMatchObject({ status: 'rejected', decisionReason: 'Use the existing group' });
  });

  it('lets only the requester cancel, and only while the request waits', () => {
    expect(apply(request(), { type: 'cancel', actor: approver }).ok).toBe(false);
    expect(accepted(request(), { type: 'cancel', actor: requester }).status).toBe('cancelled');
    const approved = accepted(request(), { type: 'approve', actor: approver });
    expect(apply(approved, { type: 'cancel', actor: requester })).toEqual({
      ok: false,
      refusal: expect.objectContaining({ code: 'alreadyDecided' }),
    });
  });

  it('retries a failed creation keeping the group it already made, and only from failed', () => {
    const creating = accepted(accepted(request(), { type: 'approve', actor: approver }), { type: 'startCreation', actor: approver });
    const found = accepted(creating, { type: 'groupFound', group: { id: 'g1', displayName: 'Pilot' } });
    const failed = accepted(found, { type: 'fail', code: 'Throttled', message: 'Graph is busy.' });
    expect(failed.failure).toMatchObject({ code: 'Throttled', message: 'Graph is busy.' });
    const retried = accepted(failed, { type: 'retry', actor: approver });
    expect(retried).toMatchObject({ status: 'creating', failure: undefined, attempt: { number: 2, groupId: 'g1' } });
    expect(apply(retried, { type: 'retry', actor: approver }).ok).toBe(false);
    expect(apply(failed, { type: 'retry', actor: requester })).toEqual({
      ok: false,
      refusal: expect.objectContaining({ code: 'ownRequest' }),
    });
  });

  it('makes the approver who retries the one whose rights and ownership the creation uses', () => {
    const creating = accepted(accepted(request(), { type: 'approve', actor: approver }), { type: 'startCreation', actor: approver });
    const failed = accepted(creating, { type: 'fail', code: 'Gone', message: 'The approver account was deleted.' });
    const other = { aadObjectId: 'app-2', name: 'Lee Gu' };
    expect(accepted(failed, { type: 'retry', actor: other }).approver).toEqual(other);
  });

  it('lets an approver abandon a failed request, a final state, and nothing else', () => {
    const creating = accepted(accepted(request(), { type: 'approve', actor: approver }), { type: 'startCreation', actor: approver });
    const failed = accepted(creating, { type: 'fail', code: 'Request_BadRequest', message: 'Invalid rule.', permanent: true });
    expect(failed.failure).toMatchObject({ permanent: true });
    const abandoned = accepted(failed, { type: 'abandon', actor: approver });
    expect(abandoned).toMatchObject({ status: 'abandoned', version: failed.version + 1 });
    expect(abandoned.audit.at(-1)).toMatchObject({ from: 'failed', to: 'abandoned', actor: approver, reason: 'Invalid rule.' });
    for (const e of [
      { type: 'retry', actor: approver },
      { type: 'abandon', actor: approver },
      { type: 'approve', actor: approver },
      { type: 'cancel', actor: requester },
    ] as RequestEvent[]) {
      expect(apply(abandoned, e).ok).toBe(false);
    }
    for (const from of [request(), creating]) {
      expect(apply(from, { type: 'abandon', actor: approver })).toEqual({
        ok: false,
        refusal: expect.objectContaining({ code: 'notFailed' }),
      });
    }
  });

  it('refuses creation steps outside a creation', () => {
    expect(apply(request(), { type: 'startCreation', actor: approver })).toEqual({
      ok: false,
      refusal: expect.objectContaining({ code: 'notApproved' }),
    });
    for (const e of [
      { type: 'groupFound', group: { id: 'g', displayName: 'x' } },
      { type: 'created', group: { id: 'g', displayName: 'x' } },
      { type: 'fail', code: 'x', message: 'y' },
      { type: 'resume' },
    ] as RequestEvent[]) {
      expect(apply(request(), e)).toEqual({ ok: false, refusal: expect.objectContaining({ code: 'noCreationUnderWay' }) });
    }
  });
});
