import { createServer, get } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ClientSecretCredential, OnBehalfOfCredential } from '@azure/identity';
import { type EntraTokenService, GRAPH_AUDIENCE, createLocalCertificate, startEntraTokenService } from '../../src/dev/entraTokenService';
import { APPROVER, BOT_APP_ID, TENANT_ID } from '../../src/dev/fixtures/wellKnown';
import { BOT_APP, BOT_SECRET, SSO_AUDIENCE, claimsOf, localAuthorityOptions, startLocalAuthority, tamperedWith } from './localAuthority';

const GRAPH = 'https://graph.microsoft.com/.default';
const UNCONSENTED_APP = { clientId: '0d5d7a8e-9d0b-4c4e-9a51-6f0f3bca0a11', clientSecret: 'other-secret', delegatedPermissions: [] };

let authority: EntraTokenService;
beforeAll(async () => {
  authority = await startLocalAuthority([UNCONSENTED_APP]);
});
afterAll(() => authority.stop());

function onBehalfOf(userAssertionToken: string, app: { clientId: string; clientSecret: string } = BOT_APP): OnBehalfOfCredential {
  return new OnBehalfOfCredential({ tenantId: TENANT_ID, ...app, userAssertionToken, ...localAuthorityOptions(authority) });
}
const approverSso = (overrides: { lifetimeSeconds?: number; audience?: string; tid?: string } = {}): string =>
  authority.issueUserToken({ oid: APPROVER.id, audience: SSO_AUDIENCE, preferredUsername: APPROVER.userPrincipalName, ...overrides });

describe('the local Entra token service with the real @azure/identity credentials', () => {
  test("exchanges the approver's Teams SSO token on behalf of them for a Graph token that names them", async () => {
    const { token } = await onBehalfOf(approverSso()).getToken(GRAPH);
    expect(authority.authenticateCaller(`Bearer ${token}`)).toEqual({
      oid: APPROVER.id,
      appId: BOT_APP_ID,
      tenantId: TENANT_ID,
      kind: 'user',
    });
    const claims = claimsOf(token);
    expect(claims.aud).toBe(GRAPH_AUDIENCE);
    expect(String(claims.scp).split(' ')).toEqual(expect.arrayContaining(['Group.ReadWrite.All', 'GroupMember.ReadWrite.All']));
    expect(claims.preferred_username).toBe(APPROVER.userPrincipalName);
  });

  test('accepts an SSO token addressed to the bot by its client id as well as its Application ID URI', async () => {
    const { token } = await onBehalfOf(approverSso({ audience: BOT_APP_ID })).getToken(GRAPH);
    expect(authority.authenticateCaller(`Bearer ${token}`)?.oid).toBe(APPROVER.id);
  });

  test('gives the bot an app-only token with its application permissions and no user', async () => {
    const { token } = await new ClientSecretCredential(TENANT_ID, BOT_APP_ID, BOT_SECRET, localAuthorityOptions(authority)).getToken(GRAPH);
    expect(authority.authenticateCaller(`Bearer ${token}`)).toEqual({ appId: BOT_APP_ID, tenantId: TENANT_ID, kind: 'app' });
    expect(claimsOf(token)).toMatchObject({ idtyp: 'app', roles: expect.arrayContaining(['Group.ReadWrite.All', 'User.Read.All']) });
    expect(claimsOf(token)).not.toHaveProperty('oid');
  });

  test('refuses a wrong client secret the way Entra does', async () => {
    const wrong = new ClientSecretCredential(TENANT_ID, BOT_APP_ID, 'not-the-secret', localAuthorityOptions(authority));
    await expect(wrong.getToken(GRAPH)).rejects.toThrow(/invalid_client.*AADSTS7000215: Invalid client secret provided/s);
  });

  test('refuses an expired SSO token', async () => {
    await expect(onBehalfOf(approverSso({ lifetimeSeconds: -300 })).getToken(GRAPH)).rejects.toThrow(
      /invalid_grant.*AADSTS500133: Assertion is not within its valid time range/s,
    );
  });

  test('refuses an SSO token whose claims were changed after signing', async () => {
    const forged = tamperedWith(approverSso(), { oid: 'f00dfeed-0000-4000-8000-000000000000' });
    await expect(onBehalfOf(forged).getToken(GRAPH)).rejects.toThrow(/invalid_grant.*AADSTS50013: Assertion failed signature validation/s);
  });

  test('refuses an SSO token issued to another app', async () => {
    await expect(onBehalfOf(approverSso({ audience: 'api://localhost/botid-someone-else' })).getToken(GRAPH)).rejects.toThrow(
      /AADSTS50013: Assertion audience does not match/,
    );
  });

  test('refuses a user from another tenant', async () => {
    await expect(onBehalfOf(approverSso({ tid: '6a0e4f2c-9b1d-4e3a-8c7f-5d2b1a0e9c84' })).getToken(GRAPH)).rejects.toThrow(
      /AADSTS50013: Assertion was issued for tenant '6a0e4f2c/,
    );
  });

  test('tells an app without admin consent that consent is missing', async () => {
    const sso = authority.issueUserToken({ oid: APPROVER.id, audience: UNCONSENTED_APP.clientId });
    await expect(onBehalfOf(sso, UNCONSENTED_APP).getToken(GRAPH)).rejects.toThrow(
      /AADSTS65001: The user or administrator has not consented/,
    );
  });

  test('is trusted only by the credentials given its certificate: nothing is trusted process-wide', async () => {
    const untrusting = new ClientSecretCredential(TENANT_ID, BOT_APP_ID, BOT_SECRET, {
      authorityHost: authority.authorityHost,
      disableInstanceDiscovery: true,
    });
    await expect(untrusting.getToken(GRAPH)).rejects.toThrow(/endpoints_resolution_error/);
  });
});

describe('the local HTTPS certificate', () => {
  test('can be shared with another local service, so that clients trust a single PEM for both', async () => {
    const certificate = createLocalCertificate('127.0.0.1');
    const shared = await startEntraTokenService({ tenantId: TENANT_ID, apps: [BOT_APP], certificate });
    const neighbour = createServer({ cert: certificate.certPem, key: certificate.keyPem }, (_request, response) =>
      response.end('neighbour'),
    );
    await new Promise<void>((resolve) => neighbour.listen(0, '127.0.0.1', resolve));
    try {
      const body = await new Promise<string>((resolve, reject) => {
        get(
          { host: '127.0.0.1', port: (neighbour.address() as AddressInfo).port, path: '/', ca: shared.caCertPem, agent: false },
          (response) => {
            let text = '';
            response.on('data', (chunk: Buffer) => (text += chunk.toString()));
            response.on('end', () => resolve(text));
          },
        ).on('error', reject);
      });
      expect(body).toBe('neighbour');
      const { token } = await new ClientSecretCredential(TENANT_ID, BOT_APP_ID, BOT_SECRET, localAuthorityOptions(shared)).getToken(GRAPH);
      expect(shared.authenticateCaller(`Bearer ${token}`)?.kind).toBe('app');
    } finally {
      neighbour.close();
      await shared.stop();
    }
  });
});

describe('authenticateCaller, as the Graph directory emulator uses it', () => {
  let appToken: string;
  beforeAll(async () => {
    appToken = (await new ClientSecretCredential(TENANT_ID, BOT_APP_ID, BOT_SECRET, localAuthorityOptions(authority)).getToken(GRAPH))
      .token;
  });

  test('refuses a token for another audience, such as the Teams SSO token itself', () => {
    expect(authority.authenticateCaller(`Bearer ${approverSso()}`)).toBeUndefined();
  });

  test('refuses a Graph token whose claims were changed after signing', () => {
    expect(authority.authenticateCaller(`Bearer ${tamperedWith(appToken, { idtyp: 'user', oid: APPROVER.id })}`)).toBeUndefined();
  });

  test('refuses a Graph token signed by another authority', async () => {
    const other = await startLocalAuthority();
    try {
      const { token } = await new ClientSecretCredential(TENANT_ID, BOT_APP_ID, BOT_SECRET, localAuthorityOptions(other)).getToken(GRAPH);
      expect(other.authenticateCaller(`Bearer ${token}`)?.kind).toBe('app');
      expect(authority.authenticateCaller(`Bearer ${token}`)).toBeUndefined();
    } finally {
      await other.stop();
    }
  });

  test('refuses a Graph token that has expired', async () => {
    const shortLived = await startEntraTokenService({ tenantId: TENANT_ID, apps: [BOT_APP], accessTokenLifetimeSeconds: -120 });
    try {
      const { token } = await new ClientSecretCredential(TENANT_ID, BOT_APP_ID, BOT_SECRET, localAuthorityOptions(shortLived)).getToken(
        GRAPH,
      );
      expect(shortLived.authenticateCaller(`Bearer ${token}`)).toBeUndefined();
    } finally {
      await shortLived.stop();
    }
  });

  test('refuses a missing header, another scheme, and a header that is not a token', () => {
    expect(authority.authenticateCaller(undefined)).toBeUndefined();
    expect(authority.authenticateCaller(`Basic ${Buffer.from(`${BOT_APP_ID}:${BOT_SECRET}`).toString('base64')}`)).toBeUndefined();
    expect(authority.authenticateCaller('Bearer not-a-token')).toBeUndefined();
    expect(authority.authenticateCaller(`bearer ${appToken}`)?.kind).toBe('app');
  });
});
