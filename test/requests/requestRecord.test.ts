import type { AuditEntry, GroupRequest } from '../../src/requests/groupRequest';
import { recordOf } from '../../src/requests/requestRecord';
import { sampleRequest } from '../storage/sampleRequest';

const adele = { aadObjectId: 'adele-id', name: 'Adele Vance' };
const lee = { aadObjectId: 'lee-id', name: 'Lee Gu' };

function withHistory(entries: AuditEntry[]): GroupRequest {
  const request = sampleRequest({ createdAt: '2026-05-01T08:00:00.000Z' });
  return { ...request, audit: [...request.audit, ...entries] };
}

describe("an auditor's record of a request, read from its history", () => {
  test('every stage decision names its stage, as the workflow marks it, next to who decided and when', () => {
    const firstStage = { number: 1, of: 2, name: 'Line manager', approversGroupId: 'managers-id', outcome: 'approved' };
    const secondStage = { number: 2, of: 2, name: 'Security review', approversGroupId: 'security-id', outcome: 'rejected' };
    const stage1 = { at: '2026-05-01T09:00:00.000Z', actor: adele, action: 'approved stage 1 of 2', to: 'submitted', stage: firstStage };
    const stage2 = {
      at: '2026-05-01T10:00:00.000Z',
      actor: lee,
      action: 'rejected at stage 2 of 2',
      to: 'rejected',
      reason: 'Too broad',
      stage: secondStage,
    };
    const record = recordOf(withHistory([stage1, stage2] as AuditEntry[]));
    expect(record.decisions).toEqual([
      {
        stage: { number: 1, of: 2, name: 'Line manager', approversGroupId: 'managers-id' },
        decision: 'approved',
        decider: adele,
        at: '2026-05-01T09:00:00.000Z',
      },
      {
        stage: { number: 2, of: 2, name: 'Security review', approversGroupId: 'security-id' },
        decision: 'rejected',
        decider: lee,
        at: '2026-05-01T10:00:00.000Z',
        reason: 'Too broad',
      },
    ]);
  });

  test("a decision from before stages, or on a route of one stage, has none; the bot's own steps and the submission are no decisions", () => {
    const record = recordOf(
      withHistory([
        { at: '2026-05-01T08:30:00.000Z', actor: adele, action: 'approved', from: 'submitted', to: 'approved' },
        {
          at: '2026-05-01T09:00:00.000Z',
          actor: adele,
          action: 'approved',
          from: 'submitted',
          to: 'approved',
          ...{ stage: { number: 1, of: 1, name: 'Approval', outcome: 'approved' } },
        },
        { at: '2026-05-01T09:00:01.000Z', actor: adele, action: 'creation started', from: 'approved', to: 'creating' },
        { at: '2026-05-01T09:00:02.000Z', actor: 'system', action: 'failed', from: 'creating', to: 'failed', reason: 'Graph said no' },
        { at: '2026-05-01T09:05:00.000Z', actor: lee, action: 'retried', from: 'failed', to: 'creating' },
        { at: '2026-05-01T09:06:00.000Z', actor: 'system', action: 'failed', from: 'creating', to: 'failed', reason: 'Graph said no' },
        { at: '2026-05-01T09:10:00.000Z', actor: lee, action: 'abandoned', from: 'failed', to: 'abandoned', reason: 'Graph said no' },
      ]),
    );
    expect(record.decisions.map(({ decision, decider, stage }) => ({ decision, decider, stage }))).toEqual([
      { decision: 'approved', decider: adele, stage: undefined },
      { decision: 'approved', decider: adele, stage: undefined },
      { decision: 'retried', decider: lee, stage: undefined },
      { decision: 'abandoned', decider: lee, stage: undefined },
    ]);
    expect(record.decisions[0]).not.toHaveProperty('stage');
    expect(record.decisions[1]).not.toHaveProperty('stage');
  });
});
