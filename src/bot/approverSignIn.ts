import { StatusCodes, type CloudAdapterBase, type TurnContext } from 'botbuilder';
import type { SignInUrlResponse, UserTokenClient } from 'botframework-connector';
import { DirectoryError } from '../requests/directory';
import type { Actor } from '../requests/groupRequest';
import type { ApproverAccess } from '../requests/requestServiceDeps';
import { expiryOf, tokenRefusal } from './tokenClaims';

/*
 * Not teams-ai's own Action.Execute authentication (OAuthAdaptiveCardAuthentication): it hands
 * the SSO token to the token service's exchange instead of checking it and exchanging it
 * on-behalf-of here, answers every failed exchange with 412 (never a sign-in without SSO),
 * answers a bad code with another loginRequest instead of invalidAuthCode, and swallows why.
 */

/** How the approver's access is obtained once they are signed in (the Graph side, made in botServer). */
export interface ApproverTokens {
  exchange(ssoToken: string): Promise<ApproverAccess>;
  fromToken(token: string, expiresOnTimestamp: number): ApproverAccess;
}

/** Teams SSO for Universal Actions, and the token service behind its fallback sign-in. */
export interface SignInSettings {
  connectionName: string;
  /** The Application ID URI Teams asks Entra for a token to (api://…/botid-…). */
  resourceUri: string;
  /** The one app registration of the bot and its Graph calls: SSO tokens are addressed to it. */
  clientId: string;
  tenantId: string;
  /** Accepted `aud` of the Graph tokens the token service hands over. */
  graphAudiences: readonly string[];
  /** Where a person can sign in when the token service offers no link of its own. */
  signInUrl?: string;
  /** The token service client when the adapter has none that works (local runs: no Bot Framework credentials). */
  userTokens?: UserTokenClient;
  tokens: ApproverTokens;
}

/** `answered`: the click was answered with a sign-in request or a protocol error; nothing else to say. */
export type SignInOutcome =
  { ok: true; access: ApproverAccess } | { ok: false; answered: true } | { ok: false; answered: false; refusal: string };

const answered: SignInOutcome = { ok: false, answered: true };
const refused = (refusal: string): SignInOutcome => ({ ok: false, answered: false, refusal });

async function answer(context: TurnContext, body: object): Promise<SignInOutcome> {
  await context.sendActivity({ type: 'invokeResponse', value: { status: StatusCodes.OK, body } });
  return answered;
}

/** The protocol's answer when a sign-in cannot be used for a reason the page would not fix. */
const preconditionFailed = (context: TurnContext, message: string) =>
  answer(context, { statusCode: 412, type: 'application/vnd.microsoft.error.preconditionFailed', value: { code: '412', message } });

function userTokens(context: TurnContext, settings: SignInSettings): UserTokenClient | undefined {
  return (
    settings.userTokens ?? context.turnState.get<UserTokenClient | undefined>((context.adapter as CloudAdapterBase).UserTokenClientKey)
  );
}

/**
 * Asks Teams to sign the approver in (the loginRequest answer). With `sso`, Teams first tries
 * silent SSO; without, it goes straight to the token service's page, where Entra can ask for a
 * second factor or consent, and sends the action again with a code in `value.state`.
 */
async function askToSignIn(context: TurnContext, settings: SignInSettings, sso: boolean): Promise<SignInOutcome> {
  let resource: SignInUrlResponse = {};
  let problem = 'the token service has no client here';
  const client = userTokens(context, settings);
  if (client) {
    try {
      resource = await client.getSignInResource(settings.connectionName, context.activity, '');
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
  }
  const link = resource.signInLink || settings.signInUrl;
  if (!link) {
    return refused(
      `Teams cannot sign you in, so nothing was changed: the bot's OAuth connection "${settings.connectionName}" did not give a sign-in link (${problem}). ` +
        'An admin must make SSO_CONNECTION_NAME name an OAuth connection of the Azure Bot, or set SSO_SIGN_IN_URL.',
    );
  }
  const exchange = resource.tokenExchangeResource ?? { id: context.activity.id ?? settings.connectionName, uri: settings.resourceUri };
  return answer(context, {
    statusCode: 401,
    type: 'application/vnd.microsoft.activity.loginRequest',
    value: {
      text: 'Sign in so the group is created with your own admin rights.',
      connectionName: settings.connectionName,
      ...(sso ? { tokenExchangeResource: exchange } : {}),
      buttons: [{ title: 'Sign in', text: 'Sign in', type: 'signin', value: link }],
    },
  });
}

/** The SSO token Teams attached, exchanged for Graph now; a token Entra refuses sends the approver to the page instead. */
async function fromSsoToken(context: TurnContext, actor: Actor, ssoToken: string, settings: SignInSettings): Promise<SignInOutcome> {
  const refusal = tokenRefusal(ssoToken, {
    audiences: [settings.resourceUri, settings.clientId],
    tenantId: settings.tenantId,
    oid: actor.aadObjectId,
  });
  if (refusal) return refused(refusal);
  try {
    return { ok: true, access: await settings.tokens.exchange(ssoToken) };
  } catch (error) {
    if (!(error instanceof DirectoryError)) throw error;
    // Teams would send the same cached token again: only a sign-in at the page gives a new one.
    if (error.code === 'sign_in_required' || error.code === 'consent_required') return askToSignIn(context, settings, false);
    return preconditionFailed(context, error.message);
  }
}

/** The code the token service's page gave, redeemed for the Graph token it holds for the approver. */
async function fromCode(context: TurnContext, actor: Actor, code: string, settings: SignInSettings): Promise<SignInOutcome> {
  const client = userTokens(context, settings);
  let token: string | undefined;
  try {
    token = (await client?.getUserToken(context.activity.from.id, settings.connectionName, context.activity.channelId, code))?.token;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return preconditionFailed(context, `The sign-in could not be checked with the Bot Framework token service: ${why}`);
  }
  if (!token) return answer(context, { statusCode: 401, type: 'application/vnd.microsoft.error.invalidAuthCode' });
  const refusal = tokenRefusal(token, { audiences: settings.graphAudiences, tenantId: settings.tenantId, oid: actor.aadObjectId });
  if (refusal) return refused(refusal);
  return { ok: true, access: settings.tokens.fromToken(token, expiryOf(token)) };
}

/**
 * The approver's Graph access for this click, obtained before anything is written: from the SSO
 * token Teams attached, or from the code of a sign-in at the token service's page; otherwise
 * the click is answered as Universal Actions' sign-in protocol says.
 */
export function signApproverIn(context: TurnContext, actor: Actor, settings: SignInSettings): Promise<SignInOutcome> {
  const value = context.activity.value as { authentication?: { token?: unknown }; state?: unknown } | undefined;
  const ssoToken = value?.authentication?.token;
  if (typeof ssoToken === 'string' && ssoToken) return fromSsoToken(context, actor, ssoToken, settings);
  if (typeof value?.state === 'string' && value.state) return fromCode(context, actor, value.state, settings);
  return askToSignIn(context, settings, true);
}
