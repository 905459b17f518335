import {
  APPROVER,
  APPROVERS_GROUP_ID,
  GUEST_USER,
  INTUNE_PROVISIONING_CLIENT,
  NESTED_APPROVER,
  REQUESTER,
} from '../../src/dev/fixtures/wellKnown';
import { loadFixture, startGraphEmulator, type RunningGraphEmulator } from '../../src/dev/graphEmulator';
import { authenticateTestCaller } from '../graph/graphHarness';
import { graphCall } from './graphHttp';

/** Reads, $filter, $select, paging, $batch and authentication, over raw HTTP. */
describe('Graph emulator: reads and batches', () => {
  let emulator: RunningGraphEmulator;
  const fixture = loadFixture();
  const get = (path: string, token?: string | null) => graphCall(emulator.graphUrl, 'GET', path, undefined, token);
  const filter = (text: string) => `$filter=${encodeURIComponent(text)}`;

  beforeAll(async () => {
    emulator = await startGraphEmulator({ authenticate: authenticateTestCaller });
  });
  afterAll(() => emulator.stop());
  beforeEach(() => emulator.controls.reset());

  it('filters users with eq, in and startswith, case-insensitively', async () => {
    const eq = await get(`/users?${filter("userPrincipalName eq 'MEGAN.BOWEN@contoso.com'")}&$select=id`);
    expect(eq.body.value).toEqual([{ id: REQUESTER.id }]);
    const inList = await get(`/users?${filter("mail in ('kwame.mensah@fabrikam.com','nobody@contoso.com')")}&$select=id,mail`);
    expect(inList.body.value).toEqual([{ id: GUEST_USER.id, mail: 'kwame.mensah@fabrikam.com' }]);
    const prefix = await get(`/users?${filter("startswith(displayName,'ad')")}&$select=displayName`);
    expect(prefix.body.value).toEqual([{ displayName: 'Adele Vance' }]);
    const disabled = await get(`/users?${filter('accountEnabled eq false')}&$select=displayName`);
    expect(disabled.body.value).toEqual([{ displayName: 'Grady Archie' }]);
  });

  it("lists a user's directory roles through transitiveMemberOf/microsoft.graph.directoryRole", async () => {
    const patti = fixture.users.find((u) => u.userPrincipalName === 'patti.fernandez@contoso.com')!;
    const roles = await get(`/users/${patti.id}/transitiveMemberOf/microsoft.graph.directoryRole?$select=id,displayName,roleTemplateId`);
    expect(roles.status).toBe(200);
    expect(roles.body.value).toEqual([
      {
        '@odata.type': '#microsoft.graph.directoryRole',
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        displayName: 'Global Administrator',
        roleTemplateId: '62e90394-69f5-4237-9190-012177145e10',
      },
    ]);
    expect((await get(`/users/${REQUESTER.id}/transitiveMemberOf/microsoft.graph.directoryRole`)).body.value).toEqual([]);
    expect((await get('/users/00000000-0000-0000-0000-000000000000/transitiveMemberOf/microsoft.graph.directoryRole')).status).toBe(404);
  });

  it('finds groups by the start of their display name, without case', async () => {
    const found = await get(`/groups?${filter("startswith(displayName,'group request')")}&$select=id,displayName`);
    expect(found.body.value).toEqual([{ id: APPROVERS_GROUP_ID, displayName: 'Group Request Approvers' }]);
  });

  it('refuses a filter of more than 15 expressions, as Graph does', async () => {
    const values = Array.from({ length: 8 }, (_, i) => `'u${i}@contoso.com'`).join(',');
    const answer = await get(`/users?${filter(`userPrincipalName in (${values}) or mail in (${values})`)}`);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({
      code: 'Request_UnsupportedQuery',
      message: "Too many child clauses specified in search filter expression containing 'OR' operators: 16. Max allowed: 15.",
    });
  });

  it('refuses filters on properties it cannot filter, bad syntax and unknown $select properties', async () => {
    expect((await get(`/users?${filter("officeLocation eq 'Seattle 101'")}`)).body.error.code).toBe('Request_UnsupportedQuery');
    expect((await get(`/users?${filter("mail eq 'unterminated")}`)).body.error.message).toMatch(/^Invalid filter clause: Syntax error/);
    expect((await get('/users?$select=shoeSize')).body.error.message).toMatch(
      /Could not find a property named 'shoeSize' on type 'microsoft.graph.user'/,
    );
    expect((await get('/users?$top=1000')).status).toBe(400);
  });

  it('serves every user exactly once across pages linked by @odata.nextLink', async () => {
    const ids: string[] = [];
    let path: string | undefined = '/users?$select=id&$top=7';
    let pages = 0;
    while (path) {
      const page = await get(path);
      pages += 1;
      ids.push(...page.body.value.map((user: { id: string }) => user.id));
      path = page.body['@odata.nextLink']?.slice(emulator.graphUrl.length);
    }
    expect(ids).toEqual(fixture.users.map((user) => user.id));
    expect(pages).toBe(Math.ceil(fixture.users.length / 7));
  });

  it('returns Graph’s default user properties without $select, and finds a user by UPN', async () => {
    const byUpn = await get(`/users/${encodeURIComponent('Adele.Vance@contoso.com')}`);
    expect(Object.keys(byUpn.body).sort()).toEqual([
      'businessPhones',
      'displayName',
      'givenName',
      'id',
      'jobTitle',
      'mail',
      'mobilePhone',
      'officeLocation',
      'preferredLanguage',
      'surname',
      'userPrincipalName',
    ]);
    expect(byUpn.body.id).toBe(APPROVER.id);
    const missing = await get('/users/nobody@contoso.com');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('Request_ResourceNotFound');
  });

  it('finds the Intune Provisioning Client by appId and checks nested membership', async () => {
    const sp = await get(`/servicePrincipals?${filter(`appId eq '${INTUNE_PROVISIONING_CLIENT.appId}'`)}`);
    expect(sp.body.value).toEqual([
      expect.objectContaining({ id: INTUNE_PROVISIONING_CLIENT.servicePrincipalId, displayName: 'Intune Provisioning Client' }),
    ]);
    const check = await graphCall(emulator.graphUrl, 'POST', `/users/${NESTED_APPROVER.id}/checkMemberGroups`, {
      groupIds: [APPROVERS_GROUP_ID],
    });
    expect(check.body.value).toEqual([APPROVERS_GROUP_ID]);
  });

  it('answers 401 with Graph’s error shape without a token, with a bad one, or for another tenant', async () => {
    const none = await get('/users', null);
    expect(none.status).toBe(401);
    expect(none.body.error).toMatchObject({ code: 'InvalidAuthenticationToken', message: 'Access token is empty.' });
    expect((await get('/users', 'garbage')).status).toBe(401);
    const otherTenant = await startGraphEmulator({
      authenticate: () => ({ kind: 'app', appId: REQUESTER.id, tenantId: '6a0e4f2c-9b1d-4e3a-8c7f-5d2b1a0e9c84' }),
    });
    try {
      const answer = await graphCall(otherTenant.graphUrl, 'GET', '/users');
      expect(answer.status).toBe(401);
      expect(answer.body.error.message).toMatch(/the token is for tenant 6a0e4f2c/);
    } finally {
      await otherTenant.stop();
    }
  });

  it('answers each $batch part on its own, fails parts whose dependency failed, and refuses 21 parts', async () => {
    const answer = await graphCall(emulator.graphUrl, 'POST', '/$batch', {
      requests: [
        { id: 'a', method: 'GET', url: `/users/${REQUESTER.id}?$select=displayName` },
        { id: 'b', method: 'GET', url: '/users/nobody@contoso.com' },
        { id: 'c', method: 'GET', url: '/devices?$select=id', dependsOn: ['b'] },
        { id: 'd', method: 'POST', url: '/groups', headers: { 'Content-Type': 'application/json' }, body: { displayName: 'x' } },
      ],
    });
    expect(answer.status).toBe(200);
    expect(answer.body.responses.map((part: { id: string; status: number }) => [part.id, part.status])).toEqual([
      ['a', 200],
      ['b', 404],
      ['c', 424],
      ['d', 400],
    ]);
    expect(answer.body.responses[0].body).toEqual({ displayName: 'Megan Bowen' });
    expect(answer.body.responses[3].body.error.message).toMatch(/A value is required for property 'mailEnabled'/);

    const tooMany = await graphCall(emulator.graphUrl, 'POST', '/$batch', {
      requests: Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/users?$top=1' })),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toMatch(/at most 20/);
  });

  it('injects throttling into chosen $batch parts and logs every round trip with its parts', async () => {
    await emulator.controls.injectFault({ status: 429, retryAfterSeconds: 7, target: 'batchPart', pathPrefix: '/devices' });
    const answer = await graphCall(emulator.graphUrl, 'POST', '/$batch', {
      requests: [
        { id: '1', method: 'GET', url: '/devices?$top=1' },
        { id: '2', method: 'GET', url: '/devices?$top=1' },
      ],
    });
    expect(answer.body.responses.map((part: { status: number }) => part.status)).toEqual([429, 200]);
    expect(answer.body.responses[0].headers['Retry-After']).toBe('7');
    expect(await emulator.controls.pendingFaults()).toEqual([]);
    const log = await emulator.controls.requests();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      method: 'POST',
      url: '/$batch',
      status: 200,
      batchParts: [
        { id: '1', status: 429 },
        { id: '2', status: 200 },
      ],
    });
  });

  it('adds the configured latency to every round trip', async () => {
    await emulator.controls.setLatency(120);
    await get('/users?$top=1');
    const [record] = await emulator.controls.requests();
    expect(record.durationMs).toBeGreaterThanOrEqual(120);
  });
});
