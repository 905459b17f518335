import { CreationRunner } from '../../src/requests/creationRunner';
import type { GroupRequest } from '../../src/requests/groupRequest';
import { approve, reject, type DecisionContext } from '../../src/requests/requestDecisions';
import { submitRequest } from '../../src/requests/requestSubmission';
import { InMemoryRequestStore } from './fakes/inMemoryRequestStore';
import { requestsWorld, validForm } from './fakes/requestsWorld';

/** A store where someone else writes between a decision's read and its write, once. */
class RacedStore extends InMemoryRequestStore {
  rivalWrite?: () => Promise<unknown>;

  override async replace(previous: GroupRequest, next: GroupRequest, changes?: Parameters<InMemoryRequestStore['replace']>[2]) {
    const rival = this.rivalWrite;
    this.rivalWrite = undefined;
    if (rival) await rival();
    return super.replace(previous, next, changes);
  }
}

let world: ReturnType<typeof requestsWorld>;
let ctx: DecisionContext;
let store: RacedStore;

beforeEach(() => {
  store = new RacedStore();
  world = requestsWorld({ store });
  ctx = { ...world.ctx, creations: new CreationRunner(world.ctx) };
  world.person('olga.owner@contoso.example');
  world.person('mia.member@contoso.example');
});

afterEach(() => ctx.creations.settled());

async function submittedBy(upn: string, options: { approver?: boolean } = {}) {
  const requester = world.person(upn, options);
  const outcome = await submitRequest(ctx, validForm(), requester);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  return { requester, request: outcome.request };
}

test('an approver cannot approve their own request, and nothing is created', async () => {
  const { requester, request } = await submittedBy('ada.approver@contoso.example', { approver: true });

  const outcome = await approve(ctx, request.id, { actor: requester });

  expect(outcome).toMatchObject({ ok: false, refusal: { code: 'ownRequest' } });
  await ctx.creations.settled();
  expect((await store.get(request.id))?.status).toBe('submitted');
  expect(world.directory.groups).toEqual([]);
});

test("when a reject lands between an approval's read and its write, the reject wins and the approval is judged again", async () => {
  const { request } = await submittedBy('ada.requester@contoso.example');
  const grace = world.person('grace.approver@contoso.example', { approver: true });
  const linus = world.person('linus.approver@contoso.example', { approver: true });
  store.rivalWrite = () => reject(ctx, request.id, linus, 'Use the existing finance group.');

  const outcome = await approve(ctx, request.id, { actor: grace });

  expect(outcome).toMatchObject({ ok: false, refusal: { code: 'alreadyDecided', message: expect.stringContaining(linus.name) } });
  await ctx.creations.settled();
  const stored = await store.get(request.id);
  expect(stored).toMatchObject({ status: 'rejected', approver: linus, decisionReason: 'Use the existing finance group.', version: 2 });
  expect(world.directory.groups).toEqual([]);
});

test('someone outside the approvers group is refused, and the request stays as it was', async () => {
  const { request } = await submittedBy('ada.requester@contoso.example');
  const mallory = world.person('mallory@contoso.example');

  const outcome = await reject(ctx, request.id, mallory, 'no');

  expect(outcome).toEqual({ ok: false, refusal: { code: 'notApprover', message: expect.stringMatching(/approvers group/) } });
  expect(await store.get(request.id)).toEqual(request);
});
