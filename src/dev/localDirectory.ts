import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BOT_APPLICATION_PERMISSIONS,
  BOT_DELEGATED_PERMISSIONS,
  startEntraTokenService,
  type EntraTokenService,
} from './entraTokenService';
import { startBotTokenService, type BotTokenService } from './botTokenService';
import { APPROVERS_GROUP_ID, BOT_APP_ID, TENANT_ID } from './fixtures/wellKnown';
import { startGraphEmulator, type DirectoryFixture, type RunningGraphEmulator } from './graphEmulator';

/** The bot's secret in the local tenant only; a real tenant's comes from env/.env.*.user. */
export const LOCAL_BOT_SECRET = 'local-only-secret-not-for-production';
/** The Application ID URI Teams SSO tokens are issued to, as in the Teams app manifest. */
export const LOCAL_SSO_RESOURCE = `api://localhost/botid-${BOT_APP_ID}`;

/** The bot's OAuth connection in the local Bot Framework token service. */
export const LOCAL_CONNECTION = 'local';

export interface LocalDirectory {
  tokens: EntraTokenService;
  graph: RunningGraphEmulator;
  /** The Bot Framework token service, with the bot's OAuth connection `local`. */
  botTokens: BotTokenService;
  /** The settings a bot needs to use this directory (see src/config.ts). */
  botEnvironment(mode: 'app' | 'delegated'): Record<string, string>;
  stop(): Promise<void>;
}

/**
 * The sample tenant on this machine: a token authority (HTTPS, its certificate made at start)
 * and the Graph directory emulator that trusts its tokens.
 */
export async function startLocalDirectory(
  options: { graphPort?: number; tokenPort?: number; fixture?: DirectoryFixture } = {},
): Promise<LocalDirectory> {
  const tokens = await startEntraTokenService({
    port: options.tokenPort,
    tenantId: TENANT_ID,
    apps: [
      {
        clientId: BOT_APP_ID,
        clientSecret: LOCAL_BOT_SECRET,
        identifierUris: [LOCAL_SSO_RESOURCE],
        delegatedPermissions: BOT_DELEGATED_PERMISSIONS,
        applicationPermissions: BOT_APPLICATION_PERMISSIONS,
      },
    ],
  });
  const botTokens = await startBotTokenService({
    connections: [
      {
        name: LOCAL_CONNECTION,
        botAppId: BOT_APP_ID,
        clientId: BOT_APP_ID,
        clientSecret: LOCAL_BOT_SECRET,
        tokenExchangeUrl: LOCAL_SSO_RESOURCE,
      },
    ],
    entra: tokens,
    signInAtEntra: (signIn) => tokens.signInInteractively(signIn),
  });
  const graph = await startGraphEmulator({ port: options.graphPort, authenticate: tokens.authenticateCaller, fixture: options.fixture });
  const folder = mkdtempSync(join(tmpdir(), 'entra-group-requests-'));
  const caFile = join(folder, 'local-authority-ca.pem');
  writeFileSync(caFile, tokens.caCertPem);
  return {
    tokens,
    graph,
    botTokens,
    botEnvironment: (mode) => ({
      TENANT_ID,
      APPROVERS_GROUP_ID,
      GRAPH_BASE_URL: graph.url,
      GRAPH_AUTH_MODE: mode,
      GRAPH_CLIENT_ID: BOT_APP_ID,
      GRAPH_CLIENT_SECRET: LOCAL_BOT_SECRET,
      AUTHORITY_HOST: tokens.authorityHost,
      AUTHORITY_CA_FILE: caFile,
      SSO_CONNECTION_NAME: LOCAL_CONNECTION,
      BOT_OAUTH_ENDPOINT: botTokens.url,
      SSO_RESOURCE_URI: LOCAL_SSO_RESOURCE,
    }),
    async stop() {
      await graph.stop();
      await botTokens.stop();
      await tokens.stop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
