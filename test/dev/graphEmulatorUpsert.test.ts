import { APPROVER, INTUNE_ADMIN, REQUESTER } from '../../src/dev/fixtures/wellKnown';
import { loadFixture, startGraphEmulator, type RunningGraphEmulator } from '../../src/dev/graphEmulator';
import { authenticateTestCaller } from '../graph/graphHarness';
import { bind, graphCall } from './graphHttp';

/** PATCH /groups(uniqueName='…') as Graph's "Upsert group" describes it, and replication lag. */
describe('Graph emulator: group upsert by uniqueName', () => {
  let emulator: RunningGraphEmulator;
  const [first, second, third] = loadFixture().users.map((user) => user.id);
  const group = {
    displayName: 'Upserted group',
    mailEnabled: false,
    mailNickname: 'upserted',
    securityEnabled: true,
    groupTypes: [],
  };
  const CREATE = { Prefer: 'create-if-missing' };
  const upsert = (key: string, body: unknown, headers: Record<string, string> = CREATE, token?: string) =>
    graphCall(emulator.graphUrl, 'PATCH', `/groups(uniqueName='${key}')`, body, token, headers);

  beforeAll(async () => {
    emulator = await startGraphEmulator({ authenticate: authenticateTestCaller });
  });
  afterAll(() => emulator.stop());
  beforeEach(() => emulator.controls.reset());

  it('creates the group once (201 with it), then updates the same group (204)', async () => {
    const created = await upsert('req-1', {
      ...group,
      'members@odata.bind': [bind(first)],
      'owners@odata.bind': [bind(APPROVER.id, 'users')],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...group, uniqueName: 'req-1', id: expect.any(String) });

    const again = await upsert('REQ-1', { ...group, displayName: 'Renamed', 'members@odata.bind': [bind(second)] });
    expect(again.status).toBe(204);
    expect(again.body).toBeUndefined();

    const groups = (await emulator.controls.groups()).filter((g) => g.uniqueName === 'req-1');
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ id: created.body.id, displayName: 'Renamed', owners: [APPROVER.id] });
    expect(groups[0].members.sort()).toEqual([first, second].sort());
    const read = await graphCall(emulator.graphUrl, 'GET', `/groups(uniqueName='req-1')?$select=id,uniqueName,createdDateTime`);
    expect(read.body).toEqual({ id: created.body.id, uniqueName: 'req-1', createdDateTime: expect.any(String) });
  });

  it('without Prefer: create-if-missing is an update, and 404s when no group has the key', async () => {
    const answer = await upsert('nobody', group, {});
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe('Request_ResourceNotFound');
    expect(await emulator.controls.groups()).not.toContainEqual(expect.objectContaining({ uniqueName: 'nobody' }));
  });

  it('checks the body as POST /groups does', async () => {
    const tooMany = Array.from({ length: 21 }, () => bind(first));
    const cases: [unknown, RegExp][] = [
      [{ ...group, mailNickname: 'has space' }, /property 'mailNickname'/],
      [{ ...group, displayName: undefined }, /A value is required for property 'displayName'/],
      [{ ...group, mailEnabled: true }, /mail enabled groups/],
      [{ ...group, 'members@odata.bind': tooMany }, /more than 20 link changes/],
      [{ ...group, surprise: 1 }, /The property 'surprise' does not exist/],
    ];
    for (const [body, message] of cases) {
      const answer = await upsert('checked', body);
      expect(answer.status).toBe(400);
      expect(answer.body.error.message).toMatch(message);
    }
    expect(await emulator.controls.groups()).not.toContainEqual(expect.objectContaining({ uniqueName: 'checked' }));
  });

  it('keeps uniqueName and the settled properties immutable, and refuses binds already there, changing nothing', async () => {
    await upsert('fixed', { ...group, 'members@odata.bind': [bind(first)] });
    const renamedKey = await upsert('fixed', { ...group, uniqueName: 'other' });
    expect(renamedKey.status).toBe(400);
    expect(renamedKey.body.error.message).toMatch(/uniqueName/);
    const dynamic = await upsert('fixed', {
      ...group,
      groupTypes: ['DynamicMembership'],
      membershipRule: 'user.city -eq "Oslo"',
      membershipRuleProcessingState: 'On',
    });
    expect(dynamic.status).toBe(400);
    const twice = await upsert('fixed', { ...group, displayName: 'Not applied', 'members@odata.bind': [bind(third), bind(first)] });
    expect(twice.status).toBe(400);
    expect(twice.body.error.message).toMatch(/already exist/);
    const [stored] = (await emulator.controls.groups()).filter((g) => g.uniqueName === 'fixed');
    expect(stored).toMatchObject({ displayName: group.displayName, members: [first], groupTypes: [] });
  });

  it('lets only a caller who may create groups create one, and only owners or admins update it', async () => {
    const denied = await upsert('rights', group, CREATE, `user:${REQUESTER.id}`);
    expect(denied.status).toBe(403);
    await upsert('rights', { ...group, 'owners@odata.bind': [bind(INTUNE_ADMIN.id, 'users')] }, CREATE, `user:${INTUNE_ADMIN.id}`);
    const notOwner = await upsert('rights', { ...group, displayName: 'x' }, CREATE, `user:${REQUESTER.id}`);
    expect(notOwner.status).toBe(403);
  });

  it('works inside a $batch, with the Prefer header on the part', async () => {
    const answer = await graphCall(emulator.graphUrl, 'POST', '/$batch', {
      requests: [
        {
          id: '1',
          method: 'PATCH',
          url: "/groups(uniqueName='in-batch')",
          headers: { 'Content-Type': 'application/json', Prefer: 'create-if-missing' },
          body: group,
        },
        { id: '2', method: 'PATCH', url: "/groups(uniqueName='in-batch-2')", headers: { 'Content-Type': 'application/json' }, body: group },
      ],
    });
    expect(answer.body.responses.map((r: { status: number }) => r.status)).toEqual([201, 404]);
  });

  it('while a new group replicates, reads by id or key 404 and link writes 400; the upsert still finds it', async () => {
    await emulator.controls.setReplicationLag(60_000);
    const created = await upsert('lagging', group);
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await graphCall(emulator.graphUrl, 'GET', `/groups/${id}`)).status).toBe(404);
    expect((await graphCall(emulator.graphUrl, 'GET', `/groups(uniqueName='lagging')`)).status).toBe(404);
    expect((await graphCall(emulator.graphUrl, 'GET', `/groups/${id}/members`)).status).toBe(404);
    const patch = await graphCall(emulator.graphUrl, 'PATCH', `/groups/${id}`, { 'members@odata.bind': [bind(first)] });
    expect(patch.status).toBe(400);
    expect(patch.body.error.message).toMatch(/object references do not exist/);
    expect((await upsert('lagging', group)).status).toBe(204);
    expect((await emulator.controls.groups()).filter((g) => g.uniqueName === 'lagging')).toHaveLength(1);

    await emulator.controls.setReplicationLag(0);
    await emulator.controls.reset();
    const later = await upsert('settled', group);
    expect((await graphCall(emulator.graphUrl, 'GET', `/groups/${later.body.id}`)).status).toBe(200);
  });

  it('an applied fault does the work, then answers the error', async () => {
    await emulator.controls.injectFault({ status: 503, applied: true, method: 'PATCH', pathPrefix: '/groups(' });
    const answer = await upsert('made-anyway', group);
    expect(answer.status).toBe(503);
    expect((await emulator.controls.groups()).filter((g) => g.uniqueName === 'made-anyway')).toHaveLength(1);
  });
});
