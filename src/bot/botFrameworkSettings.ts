import { AuthenticationConstants, ClaimsIdentity, MicrosoftAppCredentials, type UserTokenClient } from 'botframework-connector';
import { UserTokenClientImpl } from 'botframework-connector/lib/auth/userTokenClientImpl';
import { CallerIdConstants } from 'botframework-schema';
import { ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';

export interface BotFrameworkIdentity {
  botId?: string;
  botPassword?: string;
  botType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  tenantId: string;
  /** Another Bot Framework token service than Microsoft's public one (botbuilder's OAuthApiEndpoint). */
  oauthEndpoint?: string;
}

/**
 * The adapter's settings. botbuilder takes a custom OAuth endpoint as one of a full set of
 * public-cloud endpoints (given one, it assumes all are given), so the rest are named with it.
 */
export function adapterSettings(identity: BotFrameworkIdentity): ConfigurationBotFrameworkAuthenticationOptions {
  // Without an app id (local runs only: config keeps those on loopback) no token is checked or sent.
  if (!identity.botId) return { MicrosoftAppType: 'MultiTenant' };
  const app = {
    MicrosoftAppId: identity.botId,
    MicrosoftAppPassword: identity.botPassword,
    MicrosoftAppType: identity.botType,
    MicrosoftAppTenantId: identity.tenantId,
  };
  if (!identity.oauthEndpoint) return app;
  return {
    ...app,
    OAuthUrl: identity.oauthEndpoint,
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
    ToBotFromChannelOpenIdMetadataUrl: AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
  };
}

/**
 * A token service client for a bot without Bot Framework credentials (local runs): the adapter's
 * own has no app id then, and botbuilder needs one to make a sign-in link's state.
 */
export function localUserTokenClient(identity: BotFrameworkIdentity, appId: string): UserTokenClient | undefined {
  if (identity.botId || !identity.oauthEndpoint) return undefined;
  return new UserTokenClientImpl(appId, MicrosoftAppCredentials.Empty, identity.oauthEndpoint);
}

/**
 * A token service client outside any turn (the start-up check): the local one, or the one
 * botbuilder makes for this bot's app id with its configured credentials.
 */
export async function startUpUserTokenClient(identity: BotFrameworkIdentity, appId: string): Promise<UserTokenClient | undefined> {
  if (!identity.botId) return localUserTokenClient(identity, appId);
  const authentication = new ConfigurationBotFrameworkAuthentication(adapterSettings(identity));
  return authentication.createUserTokenClient(
    new ClaimsIdentity([{ type: AuthenticationConstants.AudienceClaim, value: identity.botId }], true),
  );
}
