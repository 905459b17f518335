import { rootCertificates } from 'node:tls';
import {
  BOT_APPLICATION_PERMISSIONS,
  BOT_DELEGATED_PERMISSIONS,
  type EntraTokenService,
  type RegisteredApp,
  startEntraTokenService,
} from '../../src/dev/entraTokenService';
import { BOT_APP_ID, TENANT_ID } from '../../src/dev/fixtures/wellKnown';

/** The local tenant the identity tests run against: the sample tenant and the bot's registration. */
export const BOT_SECRET = 'bot-secret-value';
/** The Application ID URI a Teams SSO token for the bot is addressed to. */
export const SSO_AUDIENCE = `api://localhost/botid-${BOT_APP_ID}`;

export const BOT_APP: RegisteredApp = {
  clientId: BOT_APP_ID,
  clientSecret: BOT_SECRET,
  identifierUris: [SSO_AUDIENCE],
  delegatedPermissions: BOT_DELEGATED_PERMISSIONS,
  applicationPermissions: BOT_APPLICATION_PERMISSIONS,
};

export function startLocalAuthority(otherApps: RegisteredApp[] = []): Promise<EntraTokenService> {
  return startEntraTokenService({ tenantId: TENANT_ID, apps: [BOT_APP, ...otherApps] });
}

/** What an @azure/identity credential needs to use the local authority, trusting it for itself only. */
export function localAuthorityOptions(service: EntraTokenService) {
  return {
    authorityHost: service.authorityHost,
    disableInstanceDiscovery: true,
    tlsOptions: { ca: [...rootCertificates, service.caCertPem] },
  };
}

export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The same token with one claim changed and the original signature kept. */
export function tamperedWith(token: string, claims: Record<string, unknown>): string {
  const [header, payload, signature] = token.split('.');
  const changed = { ...JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')), ...claims };
  return `${header}.${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${signature}`;
}
