import { TeamsAdapter } from '@microsoft/teams-ai';
import {
  AuthenticationConstants,
  type BotFrameworkAuthentication,
  type ClaimsIdentity,
  type ConnectorClient,
  type ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';

/** Clients kept per kind: Teams uses a few service URLs per region; the oldest goes first past this. */
const KEPT_CLIENTS = 64;

/**
 * The Teams adapter, keeping the Bot Connector and token service clients it makes for a turn
 * and reusing them for the next turn of the same bot to the same service URL. botbuilder would
 * build new HTTP pipelines and credentials for every activity it receives and for every card
 * posted or edited outside a click: milliseconds of the event loop and of garbage each, hundreds
 * of them in a burst of approvals. A client's credentials renew their token themselves.
 */
export class ReusingTeamsAdapter extends TeamsAdapter {
  constructor(...settings: ConstructorParameters<typeof TeamsAdapter>) {
    super(...settings);
    reuseClients(this.botFrameworkAuthentication);
  }
}

/** The bot a turn acts as, as botbuilder names it: the token's audience (Teams), else its app id. */
function botOf(claims: ClaimsIdentity): string {
  return claims.getClaimValue(AuthenticationConstants.AudienceClaim) ?? claims.getClaimValue(AuthenticationConstants.AppIdClaim) ?? '';
}

/** Makes `authentication` hand out the clients it made before, for the same bot, service URL and audience. */
function reuseClients(authentication: BotFrameworkAuthentication): void {
  const connectors = new Map<string, Promise<ConnectorClient>>();
  const userTokens = new Map<string, Promise<UserTokenClient>>();
  const reusing = (factory: ConnectorFactory, bot: string): ConnectorFactory => ({
    create: (serviceUrl, audience) =>
      kept(connectors, `${bot} ${audience ?? ''} ${serviceUrl}`, () => factory.create(serviceUrl, audience)),
  });
  const authenticateRequest = authentication.authenticateRequest.bind(authentication);
  authentication.authenticateRequest = async (activity, authHeader) => {
    const authenticated = await authenticateRequest(activity, authHeader);
    const factory = authenticated.connectorFactory;
    return factory ? { ...authenticated, connectorFactory: reusing(factory, botOf(authenticated.claimsIdentity)) } : authenticated;
  };
  const createConnectorFactory = authentication.createConnectorFactory.bind(authentication);
  authentication.createConnectorFactory = (claims) => reusing(createConnectorFactory(claims), botOf(claims));
  const createUserTokenClient = authentication.createUserTokenClient.bind(authentication);
  authentication.createUserTokenClient = (claims) => kept(userTokens, botOf(claims), () => createUserTokenClient(claims));
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
