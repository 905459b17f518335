import { DirectoryError } from '../requests/directory';

/** What a failed token request means for the person who has to act on it. */
export type TokenErrorCode =
  | 'consent_required'
  | 'sign_in_required'
  | 'invalid_client_secret'
  | 'app_not_found'
  | 'authority_unreachable'
  | 'managed_identity_unavailable'
  | 'token_request_failed';

/** Which identity was asking, so the message can name what to fix. */
export interface TokenRequestContext {
  flow: 'on_behalf_of' | 'client_credentials' | 'managed_identity';
  tenantId: string;
  clientId?: string;
  /** Where the tenant's OpenID metadata was read: `https://login.microsoftonline.com` unless configured. */
  authorityHost: string;
}

/** The parts of an Entra error that @azure/identity leaves in the message of what it throws. */
interface EntraFailure {
  oauthError?: string;
  aadsts?: number;
  /** Entra's own sentence, without the trace and correlation ids. */
  description?: string;
}

function readEntraFailure(message: string): EntraFailure {
  const aadsts = /AADSTS(\d+)/.exec(message)?.[1];
  const description = /(AADSTS\d+: .*?)(?= Trace ID:| - Correlation ID:|$)/s.exec(message)?.[1]?.trim();
  return {
    oauthError: /^([a-z_]+):/.exec(message)?.[1],
    aadsts: aadsts ? Number(aadsts) : undefined,
    description,
  };
}

/** Entra errors that ask the user to sign in again with an extra step (MFA, Conditional Access). */
const EXTRA_SIGN_IN_STEP = new Set([50076, 50079, 50158, 53003]);
const EXPIRED_ASSERTION = 500133;
const CONSENT_MISSING = 65001;

function approverSignInError(failure: EntraFailure, fallback: string): DirectoryError {
  if (failure.oauthError === 'interaction_required' || EXTRA_SIGN_IN_STEP.has(failure.aadsts ?? 0)) {
    return new DirectoryError(
      'sign_in_required',
      `Your organisation requires an extra sign-in step (multi-factor authentication or a Conditional Access policy) before the bot can act on your behalf. Sign in to Teams again, complete it, then approve (or retry) again. (${failure.description ?? fallback})`,
    );
  }
  const why =
    failure.aadsts === EXPIRED_ASSERTION ? 'it has expired' : `Microsoft Entra ID did not accept it: ${failure.description ?? fallback}`;
  return new DirectoryError(
    'sign_in_required',
    `Your Teams sign-in could not be used to create the group on your behalf (${why}). Sign in again, then approve (or retry) again.`,
  );
}

/**
 * Turns what an @azure/identity credential throws into a DirectoryError an admin can act on.
 * Cancellation passes through unchanged: nobody needs to be told about it.
 */
export function toDirectoryError(error: unknown, context: TokenRequestContext): unknown {
  if (error instanceof DirectoryError || (error instanceof Error && error.name === 'AbortError')) return error;
  const message = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error ? error.name : '';
  const failure = readEntraFailure(message);
  const app = context.clientId ? `app ${context.clientId}` : 'the bot';

  if (context.flow === 'managed_identity' && name === 'CredentialUnavailableError') {
    return new DirectoryError(
      'managed_identity_unavailable',
      `No managed identity is available to the bot here (${message}). Run it in Azure with a managed identity assigned${context.clientId ? ` (client id ${context.clientId})` : ''}, or configure the bot's client id and secret instead.`,
    );
  }
  if (failure.aadsts === CONSENT_MISSING || failure.oauthError === 'consent_required') {
    return new DirectoryError(
      'consent_required',
      `The admin has not consented to the bot's Graph permissions: ${app} in tenant ${context.tenantId} has no admin consent for its delegated Microsoft Graph permissions. A Global Administrator or Privileged Role Administrator must grant it (Microsoft Entra admin center > App registrations > ${context.clientId ?? 'the bot'} > API permissions > Grant admin consent), then approve again. (AADSTS65001)`,
    );
  }
  if (failure.oauthError === 'invalid_client') {
    return new DirectoryError(
      'invalid_client_secret',
      `Microsoft Entra ID rejected the client secret of ${app} (${failure.description ?? message}). Configure the secret's value (not its ID), or create a new secret if this one expired.`,
    );
  }
  if (failure.oauthError === 'unauthorized_client' || failure.aadsts === 700016) {
    return new DirectoryError(
      'app_not_found',
      `${app} is not registered in tenant ${context.tenantId} (${failure.description ?? message}). Check the bot's client id and tenant id.`,
    );
  }
  if (
    context.flow === 'on_behalf_of' &&
    ['invalid_grant', 'interaction_required', 'login_required', 'invalid_request'].includes(failure.oauthError ?? '')
  ) {
    return approverSignInError(failure, message);
  }
  if (message.includes('endpoints_resolution_error')) {
    return new DirectoryError(
      'authority_unreachable',
      `Could not read the sign-in metadata of tenant ${context.tenantId} at ${context.authorityHost}/${context.tenantId}/v2.0/.well-known/openid-configuration. Check the tenant id, that the authority can be reached, and, for a local authority, that its certificate is trusted.`,
      true,
    );
  }
  if (
    failure.oauthError === 'temporarily_unavailable' ||
    failure.oauthError === 'network_error' ||
    /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|socket hang up/.test(message)
  ) {
    return new DirectoryError(
      'authority_unreachable',
      `Microsoft Entra ID could not be reached for a Graph token for ${app} (${failure.description ?? message}). Try again in a few minutes.`,
      true,
    );
  }
  return new DirectoryError(
    'token_request_failed',
    `Could not get a Microsoft Graph token for ${app} in tenant ${context.tenantId}: ${failure.description ?? message}`,
  );
}
