import { StatusCodes, type CloudAdapterBase, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { SignInUrlResponse, UserTokenClient } from 'botframework-connector';

/** Teams SSO for Universal Actions: the settings of the bot's OAuth connection. */
export interface SignInSettings {
  connectionName: string;
  /** The application ID URI Teams asks Entra for a token to (api://…/botid-…). */
  resourceUri: string;
  /** Where a person can sign in when the Bot Framework token service offers no link of its own. */
  signInUrl: string;
}

/** The token Teams attached to an Action.Execute after signing the user in, if any. */
export function ssoToken(context: TurnContext): string | undefined {
  const value = context.activity.value as { authentication?: { token?: unknown } } | undefined;
  const token = value?.authentication?.token;
  return typeof token === 'string' && token ? token : undefined;
}

/**
 * The Bot Framework token service makes a sign-in link for this very activity (its state ties
 * the sign-in to the conversation); with no token service (local runs) the configured one serves.
 */
async function signInResource(context: TurnContext, settings: SignInSettings): Promise<SignInUrlResponse> {
  const client = context.turnState.get<UserTokenClient | undefined>((context.adapter as CloudAdapterBase).UserTokenClientKey);
  if (client) {
    try {
      return await client.getSignInResource(settings.connectionName, context.activity, '');
    } catch {
      // The OAuth connection is missing or misnamed: fall back to the configured link.
    }
  }
  return { signInLink: settings.signInUrl, tokenExchangeResource: { id: context.activity.id ?? settings.connectionName, uri: settings.resourceUri } };
}

/**
 * Asks Teams to sign the approver in and send the same action again with a token
 * (the loginRequest answer of Universal Actions).
 */
export async function requestSignIn(context: TurnContext, settings: SignInSettings): Promise<void> {
  const resource = await signInResource(context, settings);
  const response: InvokeResponse = {
    status: StatusCodes.OK,
    body: {
      statusCode: 401,
      type: 'application/vnd.microsoft.activity.loginRequest',
      value: {
        text: 'Sign in so the group is created with your own admin rights.',
        connectionName: settings.connectionName,
        tokenExchangeResource: resource.tokenExchangeResource ?? { id: context.activity.id ?? settings.connectionName, uri: settings.resourceUri },
        buttons: [{ title: 'Sign in', text: 'Sign in', type: 'signin', value: resource.signInLink ?? settings.signInUrl }],
      },
    },
  };
  await context.sendActivity({ type: 'invokeResponse', value: response });
}
