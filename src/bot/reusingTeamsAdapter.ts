import { TeamsAdapter } from '@microsoft/teams-ai';
import { BotCallbackHandlerKey, TurnContext, type Activity } from 'botbuilder';
import { AuthenticationConstants, type ClaimsIdentity, type ConnectorClient, type UserTokenClient } from 'botframework-connector';

/** Service URLs whose clients are kept: Teams uses a few per region; the oldest goes first past this. */
const KEPT_CLIENTS = 64;

/**
 * The Teams adapter, keeping the Bot Connector client it makes for a proactive turn (a card
 * posted or edited outside any click, a notice) and reusing it for the next one to the same
 * service URL. botbuilder would build a new HTTP pipeline, credentials and token cache for every
 * such message, milliseconds of the event loop each, hundreds in a burst of approvals. The
 * client's credentials renew their token themselves. Turns started by Teams are left as they are.
 */
export class ReusingTeamsAdapter extends TeamsAdapter {
  private readonly connectors = new Map<string, Promise<ConnectorClient>>();
  private readonly userTokens = new Map<string, Promise<UserTokenClient>>();

  protected override async processProactive(
    claimsIdentity: ClaimsIdentity,
    continuationActivity: Partial<Activity>,
    audience: string | undefined,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const appId = claimsIdentity.getClaimValue(AuthenticationConstants.AppIdClaim) ?? '';
    const connectorFactory = this.botFrameworkAuthentication.createConnectorFactory(claimsIdentity);
    const connectorClient = await kept(this.connectors, `${appId} ${audience ?? ''} ${continuationActivity.serviceUrl ?? ''}`, () =>
      connectorFactory.create(continuationActivity.serviceUrl as string, audience),
    );
    const userTokenClient = await kept(this.userTokens, appId, () => this.botFrameworkAuthentication.createUserTokenClient(claimsIdentity));
    // What botbuilder's own proactive turn puts in the turn state, so the rest of the pipeline cannot tell the difference.
    const context = new TurnContext(this, continuationActivity);
    context.turnState.set(this.BotIdentityKey, claimsIdentity);
    context.turnState.set(this.ConnectorClientKey, connectorClient);
    context.turnState.set(this.UserTokenClientKey, userTokenClient);
    context.turnState.set(BotCallbackHandlerKey, logic);
    context.turnState.set(this.ConnectorFactoryKey, connectorFactory);
    context.turnState.set(this.OAuthScopeKey, audience);
    await this.runMiddleware(context, logic);
  }
}

/** The client kept under `key`, made once; one that failed to be made is not kept. */
function kept<T>(clients: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  const known = clients.get(key);
  if (known) return known;
  const made = make();
  made.catch(() => clients.delete(key));
  clients.set(key, made);
  if (clients.size > KEPT_CLIENTS) clients.delete(clients.keys().next().value as string);
  return made;
}
