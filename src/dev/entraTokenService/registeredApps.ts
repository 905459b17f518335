import { timingSafeEqual } from 'node:crypto';

/** An app registration the local authority knows, with what an admin has granted it on Microsoft Graph. */
export interface RegisteredApp {
  clientId: string;
  clientSecret: string;
  /**
   * Audiences a user token may carry to be exchanged on behalf of its user by this app, besides
   * the client id itself: the Application ID URIs, e.g. Teams SSO's `api://<domain>/botid-<clientId>`.
   */
  identifierUris?: string[];
  /** Delegated Graph permissions with admin consent; `[]` means consent is missing (AADSTS65001). */
  delegatedPermissions?: string[];
  /** Application Graph permissions (app roles) with admin consent, put in app tokens' `roles`. */
  applicationPermissions?: string[];
}

/** What the group-requests bot asks for: create groups, manage members, resolve users. */
export const BOT_DELEGATED_PERMISSIONS = ['Group.ReadWrite.All', 'GroupMember.ReadWrite.All', 'User.Read.All'];
/** The bot's own reads (and writes in app-only mode), including the service principal lookup. */
export const BOT_APPLICATION_PERMISSIONS = ['Application.Read.All', 'Group.ReadWrite.All', 'GroupMember.ReadWrite.All', 'User.Read.All'];

export function findApp(apps: readonly RegisteredApp[], clientId: string): RegisteredApp | undefined {
  return apps.find((app) => app.clientId.toLowerCase() === clientId.toLowerCase());
}

export function secretMatches(app: RegisteredApp, presented: string): boolean {
  const expected = Buffer.from(app.clientSecret);
  const given = Buffer.from(presented);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Whether a user token addressed to `audience` may be exchanged by this app. */
export function acceptsAudience(app: RegisteredApp, audience: unknown): boolean {
  if (typeof audience !== 'string') return false;
  return [app.clientId, ...(app.identifierUris ?? [])].some((accepted) => accepted.toLowerCase() === audience.toLowerCase());
}
