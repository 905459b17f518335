import { CreationRunner } from '../../src/requests/creationRunner';
import { DirectoryError } from '../../src/requests/directory';
import { recordEvent, runCreation } from '../../src/requests/groupCreation';
import { INTUNE_PROVISIONING_CLIENT_APP_ID } from '../../src/requests/groupRequest';
import { approve, type DecisionContext } from '../../src/requests/requestDecisions';
import { submitRequest } from '../../src/requests/requestSubmission';
import { requestsWorld, validForm } from './fakes/requestsWorld';

let world: ReturnType<typeof requestsWorld>;
let ctx: DecisionContext;

beforeEach(() => {
  world = requestsWorld();
  ctx = { ...world.ctx, creations: new CreationRunner(world.ctx) };
  world.person('olga.owner@contoso.example');
  world.person('mia.member@contoso.example');
});

async function approvedRequestId(): Promise<string> {
  const submitted = await submitRequest(ctx, validForm(), world.person('ada.requester@contoso.example'));
  if (!submitted.ok) throw new Error(JSON.stringify(submitted.errors));
  const approved = await approve(ctx, submitted.request.id, { actor: world.person('grace.approver@contoso.example', { approver: true }) });
  expect(approved).toMatchObject({ ok: true, request: { status: 'creating' } });
  return submitted.request.id;
}

test('an approved request is created in the background with its owners and members', async () => {
  const id = await approvedRequestId();
  await ctx.creations.settled();

  const stored = await world.store.get(id);
  expect(stored?.status).toBe('created');
  expect(world.directory.groups).toHaveLength(1);
  expect(stored?.group).toEqual({ id: world.directory.groups[0].id, displayName: 'SG-Finance-Close' });
});

test("a creation Graph refuses is recorded as failed, in Graph's own words and code", async () => {
  const words = 'Insufficient privileges to complete the operation. Ask a Groups Administrator to approve.';
  world.directory.refuseNextCreate(new DirectoryError('Authorization_RequestDenied', words, false, true));

  const id = await approvedRequestId();
  await ctx.creations.settled();

  const stored = await world.store.get(id);
  expect(stored).toMatchObject({ status: 'failed', failure: { code: 'Authorization_RequestDenied', message: words, permanent: true } });
  expect(world.directory.groups).toEqual([]);
});

test('a writer that cannot be made fails the creation with its reason, and the error is reported', async () => {
  const refusal = new DirectoryError('signInRequired', 'The approver must sign in again: their access expired.');
  world.deps.writerFor = () => {
    throw refusal;
  };

  const id = await approvedRequestId();
  await ctx.creations.settled();

  expect(await world.store.get(id)).toMatchObject({ status: 'failed', failure: { code: 'signInRequired', message: refusal.message } });
  expect(world.backgroundErrors).toEqual([refusal]);
});

test('the Autopilot pair stopped by a crash between its two groups is finished by the next run, each group made once', async () => {
  const client = world.directory.addServicePrincipal(INTUNE_PROVISIONING_CLIENT_APP_ID, 'Intune Provisioning Client');
  const form = validForm({ preset: 'autopilotPair', deviceDisplayName: 'SG-Finance-Devices' });
  const submitted = await submitRequest(ctx, form, world.person('ada.requester@contoso.example'));
  if (!submitted.ok) throw new Error(JSON.stringify(submitted.errors));
  const actor = world.person('grace.approver@contoso.example', { approver: true });
  const now = () => world.ctx.now();
  const approved = await recordEvent(world.store, submitted.request, { type: 'approve', actor, presetOwners: [client] }, now());
  const creating = await recordEvent(world.store, approved, { type: 'startCreation', actor }, now());
  // The process stops just before it asks for the second group: the first is made and recorded.
  let creates = 0;
  const stopAtSecondCreate = (point: string) => {
    if (point === 'beforeCreate' && ++creates === 2) throw new Error('the process stopped');
  };
  await expect(runCreation(creating, world.directory, { store: world.store, now, checkpoint: stopAtSecondCreate })).rejects.toThrow(
    'the process stopped',
  );
  const interrupted = await world.store.get(creating.id);
  expect(interrupted).toMatchObject({ status: 'creating', attempt: { groupId: world.directory.groups[0].id } });
  expect(interrupted?.attempt?.deviceGroupId).toBeUndefined();

  const finished = await runCreation(interrupted!, world.directory, { store: world.store, now });
  expect(finished.status).toBe('created');
  const [users, devices] = world.directory.groups;
  expect(world.directory.groups).toHaveLength(2);
  expect(users).toMatchObject({ uniqueName: `entra-group-request-${finished.id.toLowerCase()}-users`, memberIds: [expect.any(String)] });
  expect(users.ownerIds).not.toContain(client.id);
  expect(devices).toMatchObject({ displayName: 'SG-Finance-Devices', memberIds: [], membershipType: 'assigned' });
  expect(devices.ownerIds[0]).toBe(client.id);
  expect(finished).toMatchObject({ group: { id: users.id }, deviceGroup: { id: devices.id } });
});
