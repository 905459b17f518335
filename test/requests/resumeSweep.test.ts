import { CreationRunner } from '../../src/requests/creationRunner';
import type { GroupRequest, RequestStatus } from '../../src/requests/groupRequest';
import { resumeInterrupted } from '../../src/requests/resumeSweep';
import { sampleRequest } from '../storage/sampleRequest';
import { requestsWorld } from './fakes/requestsWorld';

const MINUTE = 60_000;
const approver = { aadObjectId: '0acb2c72-0110-4538-8b07-4b498f17e9ea', name: 'Lee Gu' };

let world: ReturnType<typeof requestsWorld>;
let runner: CreationRunner;

beforeEach(() => {
  world = requestsWorld();
  runner = new CreationRunner(world.ctx);
});

afterEach(() => runner.settled());

/** A request last written `minutesAgo` before the world's clock, in `status`. */
async function stored(status: RequestStatus, minutesAgo: number): Promise<GroupRequest> {
  const at = new Date(world.clock.now.getTime() - minutesAgo * MINUTE).toISOString();
  const request: GroupRequest = { ...sampleRequest({ createdAt: at }), status, approver };
  if (status === 'creating') request.attempt = { number: 1, startedAt: at, addedMembers: [], addedOwners: [] };
  await world.store.insert(request);
  return request;
}

test('the sweep takes over only creations nothing was written to for the stale time, and finishes them', async () => {
  const staleCreating = await stored('creating', 30);
  const staleApproved = await stored('approved', 30);
  const busyCreating = await stored('creating', 1);
  const waiting = await stored('submitted', 30);
  const failed = await stored('failed', 30);

  const resumed = await resumeInterrupted(world.ctx, runner, () => ({ actor: approver }), 10 * MINUTE);
  await runner.settled();

  expect(resumed.map((r) => r.id).sort()).toEqual([staleCreating.id, staleApproved.id].sort());
  expect((await world.store.get(staleCreating.id))?.status).toBe('created');
  expect((await world.store.get(staleApproved.id))?.status).toBe('created');
  for (const untouched of [busyCreating, waiting, failed]) expect(await world.store.get(untouched.id)).toEqual(untouched);
  expect(world.directory.groups).toHaveLength(2);
});

test('a creation this instance is already running is not claimed a second time', async () => {
  const staleCreating = await stored('creating', 30);
  runner.start(staleCreating, { actor: approver });

  const resumed = await resumeInterrupted(world.ctx, runner, () => ({ actor: approver }), 10 * MINUTE);
  await runner.settled();

  expect(resumed).toEqual([]);
  expect(world.directory.groups).toHaveLength(1);
});
