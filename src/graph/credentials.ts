import { rootCertificates } from 'node:tls';
import {
  type AccessToken,
  ClientSecretCredential,
  ManagedIdentityCredential,
  OnBehalfOfCredential,
  type TokenCredential,
  type TokenCredentialOptions,
} from '@azure/identity';
import { DirectoryError } from '../requests/directory';
import type { ApproverAccess } from '../requests/requestServiceDeps';
import { type TokenRequestContext, toDirectoryError } from './tokenErrors';

/** Everything the bot asks of Graph is covered by the permissions granted to its app registration. */
export const GRAPH_SCOPES = ['https://graph.microsoft.com/.default'];
/** The `aud` of a Graph access token: its URI, or Microsoft Graph's app id in some tokens. */
export const GRAPH_TOKEN_AUDIENCES = ['https://graph.microsoft.com', '00000003-0000-0000-c000-000000000000'];

const ENTRA_AUTHORITY_HOST = 'https://login.microsoftonline.com';

/** A token authority other than Microsoft Entra ID's public cloud: a sovereign cloud, or the local stand-in. */
interface AuthoritySettings {
  /** e.g. `https://login.microsoftonline.us`, or the local token service's `authorityHost`. */
  authorityHost?: string;
  /** PEM of a CA to trust for the authority's HTTPS in addition to the public ones (the local service's). */
  authorityCaPem?: string;
}

/** Groups are created with the approving admin's delegated rights (on-behalf-of their Teams SSO token). */
export interface DelegatedSettings extends AuthoritySettings {
  mode: 'delegated';
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

/** Groups are created with the bot's own application permissions, authenticated by a client secret. */
export interface AppSecretSettings extends AuthoritySettings {
  mode: 'app';
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

/** Groups are created with the application permissions of the managed identity the bot runs as in Azure. */
export interface ManagedIdentitySettings {
  mode: 'app';
  tenantId: string;
  /** A user-assigned identity's client id; absent means the system-assigned identity. */
  managedIdentityClientId?: string;
  clientSecret?: undefined;
}

export type GraphIdentitySettings = DelegatedSettings | AppSecretSettings | ManagedIdentitySettings;

/** How the approver's access is obtained when they click (delegated mode). */
export interface ApproverSignIn {
  /** Exchanges their Teams SSO token on-behalf-of them for Graph, now; throws a DirectoryError saying why not. */
  exchange(ssoToken: string): Promise<ApproverAccess>;
  /** A Graph token for them the Bot Framework token service handed over (after its own sign-in page). */
  fromToken(token: string, expiresOnTimestamp: number): ApproverAccess;
}

export interface GraphCredentials {
  /** Whether creating a group needs the approver's own access (and so a sign-in). */
  readonly needsApproverToken: boolean;
  /** The bot's own identity: the directory reads (resolving users, checking approvers). */
  readonly app: TokenCredential;
  /** Set in delegated mode only. */
  readonly approverSignIn?: ApproverSignIn;
  /**
   * The identity a group is created under. Delegated: the approver, through the access obtained
   * when they clicked; none (a creation resumed after a restart) is a `sign_in_required`
   * DirectoryError. App-only: the bot's own identity, whatever is passed.
   */
  forApprover(access: ApproverAccess | undefined): TokenCredential;
}

/** Makes every failure of `credential` a DirectoryError that says what to do. */
function explained(credential: TokenCredential, context: TokenRequestContext): TokenCredential {
  return {
    async getToken(scopes, options) {
      try {
        return await credential.getToken(scopes, options);
      } catch (error) {
        throw toDirectoryError(error, context);
      }
    },
  };
}

/** A token is renewed this long before it expires, so no call starts with one about to lapse. */
const RENEW_BEFORE_EXPIRY_MS = 5 * 60_000;

/**
 * Shares one token among the calls that use a credential, concurrent ones included, until it is
 * about to lapse. MSAL files an on-behalf-of token under the scopes Entra's answer lists (the
 * granted permissions), so asking again for `/.default` misses its cache and would cost an
 * exchange for every Graph call; and even a hit in MSAL's cache costs a millisecond or more of
 * the event loop, which a burst of approvals pays for every call.
 */
function reusingToken(credential: TokenCredential): TokenCredential {
  let current: { scopes: string; token: Promise<AccessToken | null> } | undefined;
  const usable = (token: AccessToken | null): token is AccessToken =>
    token !== null && token.expiresOnTimestamp - Date.now() > RENEW_BEFORE_EXPIRY_MS;
  return {
    async getToken(scopes, options) {
      const key = [scopes].flat().join(' ');
      // A claims challenge (Conditional Access) needs a new token, never the one it challenged.
      if (current?.scopes === key && !options?.claims) {
        const shared = await current.token.catch(() => null);
        if (usable(shared)) return shared;
      }
      const token = credential.getToken(scopes, options);
      current = { scopes: key, token };
      return token;
    },
  };
}

function authorityOptions(settings: AuthoritySettings): TokenCredentialOptions & { disableInstanceDiscovery?: boolean } {
  if (!settings.authorityHost) return {};
  if (!settings.authorityHost.startsWith('https://')) {
    throw new Error(
      `The token authority ${settings.authorityHost} must be an https:// address (Microsoft's sign-in libraries refuse any other).`,
    );
  }
  return {
    authorityHost: settings.authorityHost.replace(/(?<!\/)\/+$/, ''),
    // Instance discovery asks login.microsoftonline.com whether the host is a Microsoft cloud;
    // a configured authority is trusted as given instead.
    disableInstanceDiscovery: true,
    // Per credential rather than NODE_EXTRA_CA_CERTS, which Node reads only at start and applies to every connection.
    ...(settings.authorityCaPem ? { tlsOptions: { ca: [...rootCertificates, settings.authorityCaPem] } } : {}),
  };
}

/** Builds the credentials the Graph client uses, from the identity settings. */
export function createGraphCredentials(settings: GraphIdentitySettings): GraphCredentials {
  if (settings.mode === 'app' && settings.clientSecret === undefined) {
    const context: TokenRequestContext = {
      flow: 'managed_identity',
      tenantId: settings.tenantId,
      clientId: settings.managedIdentityClientId,
      authorityHost: ENTRA_AUTHORITY_HOST,
    };
    const managedIdentity = reusingToken(
      explained(
        settings.managedIdentityClientId
          ? new ManagedIdentityCredential({ clientId: settings.managedIdentityClientId })
          : new ManagedIdentityCredential(),
        context,
      ),
    );
    return { needsApproverToken: false, app: managedIdentity, forApprover: () => managedIdentity };
  }
  const options = authorityOptions(settings);
  const context = (flow: TokenRequestContext['flow']): TokenRequestContext => ({
    flow,
    tenantId: settings.tenantId,
    clientId: settings.clientId,
    authorityHost: options.authorityHost ?? ENTRA_AUTHORITY_HOST,
  });
  const app = reusingToken(
    explained(
      new ClientSecretCredential(settings.tenantId, settings.clientId, settings.clientSecret, options),
      context('client_credentials'),
    ),
  );
  if (settings.mode === 'app') return { needsApproverToken: false, app, forApprover: () => app };
  const obo = (assertion: string) =>
    reusingToken(
      explained(
        new OnBehalfOfCredential({
          tenantId: settings.tenantId,
          clientId: settings.clientId,
          clientSecret: settings.clientSecret,
          userAssertionToken: assertion,
          ...options,
        }),
        context('on_behalf_of'),
      ),
    );
  return {
    needsApproverToken: true,
    app,
    approverSignIn: {
      async exchange(ssoToken) {
        const credential = obo(ssoToken);
        // Asked now, so a token Entra refuses is known before anything is written.
        await credential.getToken(GRAPH_SCOPES);
        return { token: async () => (await credential.getToken(GRAPH_SCOPES)) as AccessToken };
      },
      fromToken(token, expiresOnTimestamp) {
        return {
          async token() {
            if (expiresOnTimestamp - Date.now() > 0) return { token, expiresOnTimestamp };
            throw new DirectoryError(
              'sign_in_required',
              'Your sign-in for this creation has expired. Click Retry creation and sign in again; nothing is created twice.',
            );
          },
        };
      },
    },
    forApprover(access) {
      if (!access) {
        throw new DirectoryError(
          'sign_in_required',
          "Creating the group needs the approving admin's Microsoft Entra sign-in, and there is none now (for instance the bot restarted during the creation). An approver must click Retry creation and sign in when Teams asks; nothing is created twice.",
        );
      }
      return { getToken: () => access.token() };
    },
  };
}
