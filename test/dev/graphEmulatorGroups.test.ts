import { APPROVER, GLOBAL_ADMIN, INTUNE_PROVISIONING_CLIENT, REQUESTER, TENANT_ID } from '../../src/dev/fixtures/wellKnown';
import { loadFixture, startGraphEmulator, type RunningGraphEmulator } from '../../src/dev/graphEmulator';
import { authenticateTestCaller } from '../graph/graphHarness';
import { bind, graphCall } from './graphHttp';

/** POST /groups, PATCH and $ref as Graph validates them. */
describe('Graph emulator: groups', () => {
  let emulator: RunningGraphEmulator;
  const users = loadFixture().users.map((user) => user.id);
  const valid = {
    displayName: 'Autopilot Device Prep - Users',
    mailEnabled: false,
    mailNickname: 'autopilot-dp-users',
    securityEnabled: true,
    groupTypes: [],
  };
  const post = (body: unknown, token?: string) => graphCall(emulator.graphUrl, 'POST', '/groups', body, token);
  const expectRefusal = async (body: unknown, status: number, code: string, message: string | RegExp, token?: string) => {
    const answer = await post(body, token);
    expect(answer.status).toBe(status);
    expect(answer.body.error.code).toBe(code);
    expect(answer.body.error.message).toMatch(message);
    expect(answer.body.error.innerError).toEqual({
      date: expect.any(String),
      'request-id': answer.headers.get('request-id'),
      'client-request-id': expect.any(String),
    });
  };

  beforeAll(async () => {
    emulator = await startGraphEmulator({ authenticate: authenticateTestCaller });
  });
  afterAll(() => emulator.stop());
  beforeEach(() => emulator.controls.reset());

  it('creates a security group and records who created it and when', async () => {
    const answer = await post({ ...valid, description: 'Pilot users', 'owners@odata.bind': [bind(APPROVER.id, 'users')] });
    expect(answer.status).toBe(201);
    expect(answer.headers.get('location')).toBe(`${emulator.graphUrl}/groups/${answer.body.id}`);
    expect(answer.body).toMatchObject({ ...valid, description: 'Pilot users', mail: null, isAssignableToRole: false });
    const group = await emulator.controls.group(answer.body.id);
    expect(group.createdBy).toEqual({ kind: 'user', oid: APPROVER.id, appId: expect.any(String), tenantId: TENANT_ID });
    expect(Date.parse(group.createdDateTime)).toBeGreaterThan(Date.now() - 60_000);
    expect(group.owners).toEqual([APPROVER.id]);
  });

  it.each([
    ['displayName missing', { ...valid, displayName: undefined }, /A value is required for property 'displayName'/],
    ['mailNickname missing', { ...valid, mailNickname: undefined }, /A value is required for property 'mailNickname'/],
    ['mailEnabled missing', { ...valid, mailEnabled: undefined }, /A value is required for property 'mailEnabled'/],
    ['securityEnabled missing', { ...valid, securityEnabled: undefined }, /A value is required for property 'securityEnabled'/],
    ['displayName of 257 characters', { ...valid, displayName: 'x'.repeat(257) }, /property 'displayName'/],
    ['mailNickname of 65 characters', { ...valid, mailNickname: 'x'.repeat(65) }, /property 'mailNickname'/],
    ['mailNickname with a space', { ...valid, mailNickname: 'autopilot users' }, /property 'mailNickname'/],
    ['mailNickname with @', { ...valid, mailNickname: 'autopilot@users' }, /property 'mailNickname'/],
    ['mailNickname with a bracket', { ...valid, mailNickname: 'autopilot[users]' }, /property 'mailNickname'/],
    ['mailNickname with a non-ASCII letter', { ...valid, mailNickname: 'gruppe-für-alle' }, /property 'mailNickname'/],
    ['description of 1,025 characters', { ...valid, description: 'd'.repeat(1025) }, /property 'description'/],
    ['a mail-enabled security group', { ...valid, mailEnabled: true }, /does not currently support writing mail enabled groups/],
    ['an unknown group type', { ...valid, groupTypes: ['Dynamic'] }, /property 'groupTypes'/],
    [
      'a dynamic group without a rule',
      { ...valid, groupTypes: ['DynamicMembership'], membershipRuleProcessingState: 'On' },
      /property 'membershipRule'/,
    ],
    [
      'a dynamic group without a processing state',
      { ...valid, groupTypes: ['DynamicMembership'], membershipRule: 'user.city -eq "Seattle"' },
      /property 'membershipRuleProcessingState'/,
    ],
    ['a rule on an assigned group', { ...valid, membershipRule: 'user.city -eq "Seattle"' }, /DynamicMembership/],
    [
      'a rule mixing users and devices',
      {
        ...valid,
        groupTypes: ['DynamicMembership'],
        membershipRuleProcessingState: 'On',
        membershipRule: 'user.city -eq "x" -and device.deviceOSType -eq "Windows"',
      },
      /cannot mix user and device/,
    ],
    [
      'members bound to a dynamic group',
      {
        ...valid,
        groupTypes: ['DynamicMembership'],
        membershipRuleProcessingState: 'On',
        membershipRule: 'user.city -eq "Seattle"',
        'members@odata.bind': [bind(REQUESTER.id)],
      },
      /dynamic membership/,
    ],
    ['an unknown property', { ...valid, colour: 'blue' }, /The property 'colour' does not exist on type 'microsoft.graph.group'/],
    [
      'a bind that is no URL',
      { ...valid, 'members@odata.bind': [REQUESTER.id] },
      /Invalid URL format specified in @odata.bind for members/,
    ],
    ['a device as owner', { ...valid, 'owners@odata.bind': [bind(loadFixture().devices[0].id)] }, /owners are users or service principals/],
    [
      'one member bound twice',
      { ...valid, 'members@odata.bind': [bind(REQUESTER.id), bind(REQUESTER.id, 'users')] },
      /already exist for the following modified properties: 'members'/,
    ],
  ])('refuses %s with 400 Request_BadRequest or BadRequest', async (_case, body, message) => {
    const answer = await post(body);
    expect(answer.status).toBe(400);
    expect(['Request_BadRequest', 'BadRequest']).toContain(answer.body.error.code);
    expect(answer.body.error.message).toMatch(message);
    expect(await emulator.controls.groups()).toHaveLength(6);
  });

  it('refuses more than 20 owners and members in one create request, and takes exactly 20', async () => {
    const owners = [bind(APPROVER.id), bind(INTUNE_PROVISIONING_CLIENT.servicePrincipalId, 'servicePrincipals')];
    const members = users
      .filter((id) => id !== APPROVER.id)
      .slice(0, 19)
      .map((id) => bind(id));
    await expectRefusal(
      { ...valid, 'owners@odata.bind': owners, 'members@odata.bind': members },
      400,
      'Request_BadRequest',
      /more than 20 link changes/,
    );
    const accepted = await post({ ...valid, 'owners@odata.bind': owners, 'members@odata.bind': members.slice(0, 18) });
    expect(accepted.status).toBe(201);
    expect((await emulator.controls.group(accepted.body.id)).members).toHaveLength(18);
  });

  it('answers 404 Request_ResourceNotFound for a bound object that does not exist', async () => {
    await expectRefusal(
      { ...valid, 'members@odata.bind': [bind('4a4c5d6e-0000-4000-8000-000000000000')] },
      404,
      'Request_ResourceNotFound',
      /does not exist/,
    );
  });

  it('refuses a role-assignable dynamic group, and role-assignable groups from a Groups Administrator', async () => {
    const dynamic = {
      ...valid,
      groupTypes: ['DynamicMembership'],
      membershipRuleProcessingState: 'On',
      membershipRule: 'user.city -eq "Seattle"',
    };
    await expectRefusal(
      { ...dynamic, isAssignableToRole: true },
      400,
      'Request_BadRequest',
      /roles cannot have dynamic membership/,
      `user:${GLOBAL_ADMIN.id}`,
    );
    await expectRefusal({ ...valid, isAssignableToRole: true }, 403, 'Authorization_RequestDenied', /Insufficient privileges/);
    expect((await post({ ...valid, isAssignableToRole: true }, `user:${GLOBAL_ADMIN.id}`)).status).toBe(201);
  });

  it('lets only admins create groups, as the tenant does not let users create security groups', async () => {
    await expectRefusal(
      valid,
      403,
      'Authorization_RequestDenied',
      'Insufficient privileges to complete the operation.',
      `user:${REQUESTER.id}`,
    );
    const asApp = await post(valid, `app:${INTUNE_PROVISIONING_CLIENT.appId}`);
    expect(asApp.status).toBe(201);
    expect((await emulator.controls.group(asApp.body.id)).createdBy).toMatchObject({
      kind: 'app',
      appId: INTUNE_PROVISIONING_CLIENT.appId,
    });
  });

  it('accepts a second security group with the same mailNickname, but not a second Microsoft 365 group', async () => {
    expect((await post(valid)).status).toBe(201);
    expect((await post(valid)).status).toBe(201);
    await expectRefusal(
      { ...valid, mailEnabled: true, groupTypes: ['Unified'], mailNickname: 'salesteam' },
      400,
      'Request_BadRequest',
      'Another object with the same value for property mailNickname already exists.',
    );
  });

  it('adds at most 20 members per PATCH, atomically, and refuses members already there', async () => {
    const created = (await post(valid)).body;
    const path = `/groups/${created.id}`;
    const tooMany = users.slice(0, 21).map((id) => bind(id));
    expect((await graphCall(emulator.graphUrl, 'PATCH', path, { 'members@odata.bind': tooMany })).status).toBe(400);
    expect((await graphCall(emulator.graphUrl, 'PATCH', path, { 'members@odata.bind': tooMany.slice(0, 20) })).status).toBe(204);
    const again = await graphCall(emulator.graphUrl, 'PATCH', path, { 'members@odata.bind': [bind(users[25]), bind(users[0])] });
    expect(again.status).toBe(400);
    expect(again.body.error.message).toBe(
      "One or more added object references already exist for the following modified properties: 'members'.",
    );
    expect((await emulator.controls.group(created.id)).members).toEqual(users.slice(0, 20));
  });

  it('adds one member or owner per $ref, refusing one already there', async () => {
    const created = (await post(valid)).body;
    const addMember = () => graphCall(emulator.graphUrl, 'POST', `/groups/${created.id}/members/$ref`, { '@odata.id': bind(REQUESTER.id) });
    expect((await addMember()).status).toBe(204);
    const duplicate = await addMember();
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.error.message).toMatch(/already exist for the following modified properties: 'members'/);
    const addOwner = await graphCall(emulator.graphUrl, 'POST', `/groups/${created.id}/owners/$ref`, {
      '@odata.id': bind(INTUNE_PROVISIONING_CLIENT.servicePrincipalId),
    });
    expect(addOwner.status).toBe(204);
    const owners = await graphCall(emulator.graphUrl, 'GET', `/groups/${created.id}/owners?$select=id`);
    expect(owners.body.value).toEqual([
      { '@odata.type': '#microsoft.graph.servicePrincipal', id: INTUNE_PROVISIONING_CLIENT.servicePrincipalId },
    ]);
  });

  it('does not let a non-owner without a role change a group, but lets its owner', async () => {
    const created = (await post({ ...valid, 'owners@odata.bind': [bind(REQUESTER.id)] })).body;
    const byOwner = await graphCall(
      emulator.graphUrl,
      'PATCH',
      `/groups/${created.id}`,
      { 'members@odata.bind': [bind(users[9])] },
      `user:${REQUESTER.id}`,
    );
    expect(byOwner.status).toBe(204);
    const stranger = users[10];
    const byStranger = await graphCall(
      emulator.graphUrl,
      'PATCH',
      `/groups/${created.id}`,
      { 'members@odata.bind': [bind(users[11])] },
      `user:${stranger}`,
    );
    expect(byStranger.status).toBe(403);
  });

  it('pages a group of 150 members 100 at a time', async () => {
    const created = (await post(valid)).body;
    emulator.server.store.addLinks(created.id, 'members', users);
    const first = await graphCall(emulator.graphUrl, 'GET', `/groups/${created.id}/members?$select=id&$top=20`);
    expect(first.body.value).toHaveLength(20);
    const next = first.body['@odata.nextLink'].slice(emulator.graphUrl.length);
    const second = await graphCall(emulator.graphUrl, 'GET', next);
    expect(second.body.value.map((member: { id: string }) => member.id)).toEqual(users.slice(20, 31));
    expect(second.body['@odata.nextLink']).toBeUndefined();
  });
});
