import type { ApprovalRoute } from '../../src/requests/approvalRoute';
import type { GroupRequest } from '../../src/requests/groupRequest';
import { changesBetween } from '../../src/requests/requestChange';
import { formValuesOf } from '../../src/requests/requestAgain';
import { remindApprovers, sweepWaiting } from '../../src/requests/waitingSweep';
import { nextDueAt } from '../../src/requests/waitingClock';
import { applyEvent } from '../../src/requests/workflow';
import { sampleRequest } from '../storage/sampleRequest';
import { requestsWorld } from './fakes/requestsWorld';

const MINUTE = 60_000;
const ESCALATION_GROUP = '9b0c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c4';

const ROUTE: ApprovalRoute = {
  name: 'Timed',
  stages: [{ name: 'Approval', approversGroupId: '4f1d2c3b-0000-4000-8000-000000000001' }],
  remindAfter: { iso: 'PT10M', ms: 10 * MINUTE },
  escalation: { after: { iso: 'PT30M', ms: 30 * MINUTE }, approversGroupId: ESCALATION_GROUP },
  expireAfter: { iso: 'PT2H', ms: 120 * MINUTE },
};

let world: ReturnType<typeof requestsWorld>;

beforeEach(() => {
  world = requestsWorld();
});

async function waiting(route: ApprovalRoute | 'no route' = ROUTE): Promise<GroupRequest> {
  const request = { ...sampleRequest({ createdAt: world.clock.now.toISOString() }), ...(route === 'no route' ? {} : { route }) };
  await world.store.insert(request);
  return request;
}

const later = (minutes: number) => (world.clock.now = new Date(world.clock.now.getTime() + minutes * MINUTE));
const stored = async (id: string) => (await world.store.get(id))!;

test('a request is reminded once after remind-after, escalated once after escalate-after, and expires after expire-after', async () => {
  const request = await waiting();
  const untimed = await waiting('no route');

  later(9);
  expect(await sweepWaiting(world.ctx, 10)).toEqual([]);

  later(1);
  expect((await sweepWaiting(world.ctx, 10)).map((r) => r.id)).toEqual([request.id]);
  const reminded = await stored(request.id);
  expect(reminded.status).toBe('submitted');
  expect(reminded.audit.at(-1)).toMatchObject({ actor: 'system', reminder: { by: 'schedule', waitedMs: 10 * MINUTE } });
  expect(await sweepWaiting(world.ctx, 10)).toEqual([]);

  later(25);
  await sweepWaiting(world.ctx, 10);
  const escalated = await stored(request.id);
  expect(escalated.audit.at(-1)).toMatchObject({ escalation: { approversGroupId: ESCALATION_GROUP, waitedMs: 35 * MINUTE } });
  expect(escalated.audit.filter((entry) => entry.reminder)).toHaveLength(1);
  expect(await sweepWaiting(world.ctx, 10)).toEqual([]);

  later(90);
  await sweepWaiting(world.ctx, 10);
  const expired = await stored(request.id);
  expect(expired.status).toBe('expired');
  expect(expired.audit.at(-1)?.action).toBe('expired after waiting 2 hours 5 minutes for a decision');
  expect(await world.store.findOpenByMailNickname(expired.spec.mailNickname)).toBeUndefined();
  expect(nextDueAt(expired)).toBeUndefined();
  expect((await stored(untimed.id)).audit).toEqual(untimed.audit);
});

test('a sweep after a long stop does everything due in one write, and a request due only to expire just expires', async () => {
  const request = await waiting();
  later(40);
  await sweepWaiting(world.ctx, 10);
  const both = await stored(request.id);
  expect(both.version).toBe(request.version + 1);
  expect(both.audit.slice(-2).map((entry) => [!!entry.reminder, !!entry.escalation])).toEqual([
    [true, false],
    [false, true],
  ]);
  expect(changesBetween(request, both)).toEqual([
    { type: 'reminded', reminder: { by: 'schedule', waitedMs: 40 * MINUTE } },
    { type: 'escalated' },
  ]);

  const forgotten = await waiting();
  later(500);
  await sweepWaiting(world.ctx, 10);
  const expired = await stored(forgotten.id);
  expect(expired.audit.filter((entry) => entry.reminder || entry.escalation)).toEqual([]);
  expect(changesBetween(forgotten, expired)).toEqual([{ type: 'statusChanged', from: 'submitted', to: 'expired' }]);
});

test('a decided request is never reminded, and time passing refuses when nothing is due', async () => {
  const request = await waiting();
  const approved = { ...request, status: 'approved' as const };
  expect(applyEvent(approved, { type: 'timePassed' }, new Date(Date.parse(request.createdAt) + 999 * MINUTE).toISOString())).toMatchObject({
    ok: false,
    refusal: { code: 'nothingDue' },
  });
  expect(nextDueAt(approved)).toBeUndefined();
  expect(nextDueAt(request)).toBe(new Date(Date.parse(request.createdAt) + 10 * MINUTE).toISOString());
});

test('the requester may remind the approvers once a day; others may not, and a decided request has nothing to remind of', async () => {
  const request = await waiting('no route');
  const stranger = world.person('eve@contoso.example');

  later(60);
  const first = await remindApprovers(world.ctx, request.id, request.requester);
  expect(first.ok).toBe(true);
  expect((await stored(request.id)).audit.at(-1)).toMatchObject({
    actor: request.requester,
    reminder: { by: 'requester', waitedMs: 60 * MINUTE },
  });

  later(23 * 60);
  const second = await remindApprovers(world.ctx, request.id, request.requester);
  expect(second).toMatchObject({ ok: false, refusal: { code: 'remindedRecently' } });
  expect(second.ok || second.refusal.message).toMatch(
    /already sent a reminder for this request in the last day; you can send the next one from 2026-03-03 10:00 UTC/,
  );

  const byStranger = await remindApprovers(world.ctx, request.id, stranger);
  expect(byStranger).toEqual({ ok: false, refusal: expect.objectContaining({ code: 'notRequester' }) });

  later(60);
  expect((await remindApprovers(world.ctx, request.id, request.requester)).ok).toBe(true);
  const current = await stored(request.id);
  await world.store.replace(current, { ...current, version: current.version + 1, status: 'rejected' });
  later(25 * 60);
  expect(await remindApprovers(world.ctx, request.id, request.requester)).toMatchObject({ ok: false, refusal: { code: 'alreadyDecided' } });
});

test('asking again fills the form with what was asked: typed names in the boxes, picked people by id', () => {
  const request = sampleRequest();
  const picked = '0acb2c72-0110-4538-8b07-4b498f17e9ea';
  const values = formValuesOf({ ...request.spec, members: [...request.spec.members, picked] });
  expect(values).toMatchObject({
    displayName: request.spec.displayName,
    mailNickname: request.spec.mailNickname,
    members: request.spec.members.join('\n'),
    memberIds: picked,
    owners: request.spec.owners.join('\n'),
    justification: request.spec.justification,
  });
});
