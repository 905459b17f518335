import { StatusCodes, type TurnContext, type InvokeResponse } from 'botbuilder';

/** Teams SSO for Universal Actions: the settings of the bot's OAuth connection. */
export interface SignInSettings {
  connectionName: string;
  /** The application ID URI Teams asks Entra for a token to (api://…/botid-…). */
  resourceUri: string;
  /** Where a person can sign in when single sign-on cannot happen silently. */
  signInUrl: string;
}

/** The token Teams attached to an Action.Execute after signing the user in, if any. */
export function ssoToken(context: TurnContext): string | undefined {
  const value = context.activity.value as { authentication?: { token?: unknown } } | undefined;
  const token = value?.authentication?.token;
  return typeof token === 'string' && token ? token : undefined;
}

/**
 * Asks Teams to sign the approver in and send the same action again with a token
 * (the loginRequest answer of Universal Actions).
 */
export async function requestSignIn(context: TurnContext, settings: SignInSettings): Promise<void> {
  const response: InvokeResponse = {
    status: StatusCodes.OK,
    body: {
      statusCode: 401,
      type: 'application/vnd.microsoft.activity.loginRequest',
      value: {
        text: 'Sign in so the group is created with your own admin rights.',
        connectionName: settings.connectionName,
        tokenExchangeResource: { id: context.activity.id ?? settings.connectionName, uri: settings.resourceUri },
        buttons: [{ title: 'Sign in', text: 'Sign in', type: 'signin', value: settings.signInUrl }],
      },
    },
  };
  await context.sendActivity({ type: 'invokeResponse', value: response });
}
