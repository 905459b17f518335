import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Server } from 'node:http';
import pino, { type Logger } from 'pino';
import type { ConversationReference } from 'botbuilder';
import { ConfigError, type Config } from './config';
import { ApprovalsChannel } from './bot/approvalsChannel';
import { BackgroundWork } from './bot/backgroundWork';
import { ConversationMessenger } from './bot/conversationMessenger';
import { signallingChanges } from './bot/outbox/changeSignal';
import { LoopTurns, takingTurns } from './bot/loopTurns';
import { ConversationPacer } from './bot/outbox/conversationPacer';
import { PacedTeamsAdapter } from './bot/outbox/pacedTeamsAdapter';
import { OutboxDispatcher, type DeliveryCheckpoint } from './bot/outbox/outboxDispatcher';
import { RequestCardsPublisher } from './bot/requestCardsPublisher';
import { ApproverAudience } from './bot/approverAudience';
import { TeamRoster } from './bot/teamRoster';
import { RequestCardEdits } from './bot/requestCardEdits';
import { createTeamsApp } from './bot/teamsApp';
import { adapterSettings, localUserTokenClient, startUpUserTokenClient, type BotFrameworkIdentity } from './bot/botFrameworkSettings';
import { checkOAuthConnection } from './bot/oauthConnectionCheck';
import type { SignInSettings } from './bot/approverSignIn';
import { GRAPH_TOKEN_AUDIENCES, createGraphCredentials, type GraphCredentials, type GraphIdentitySettings } from './graph/credentials';
import { TeamsSizeLimit } from './bot/teamsSizeLimit';
import { GraphDirectoryReader } from './graph/directoryReader';
import { GraphGroupWriter } from './graph/groupWriter';
import { UpsertsByCredential } from './graph/upsertsByCredential';
import { warmCardTemplates } from './cards/cardTemplates';
import { createBotHttpApp } from './http/botHttpApp';
import { policyGroupIds } from './requests/approvalPolicy';
import { ApproverPolicy } from './requests/approvers';
import type { CreationCheckpoint } from './requests/groupCreation';
import { FormDrafts } from './requests/formDrafts';
import { checkMembershipRule } from './requests/membershipRuleCheck';
import { RequestService } from './requests/requestService';
import type { CreationIdentity } from './requests/requestServiceDeps';
import type { RequestStore } from './requests/requestStore';
import { evaluationThreads } from './rules';
import { openRequestStore, requestStoreOptionsOf } from './storage/openRequestStore';

export interface RunningBot {
  url: string;
  service: RequestService;
  store: RequestStore;
  /** Resolves when nothing runs in the background: creations, card updates, late answers. */
  settled(): Promise<void>;
  /** Stops taking activities, lets running creations finish their current step, closes the store. */
  stop(): Promise<void>;
}

export interface BotServerOptions {
  log?: Logger;
  /** Where a creation or a delivery reaching a named point should stop the process (recovery tests). */
  checkpoint?: (point: CreationCheckpoint | DeliveryCheckpoint) => void;
}

function identitySettings(config: Config): GraphIdentitySettings {
  const authority = {
    authorityHost: config.AUTHORITY_HOST,
    authorityCaPem: config.AUTHORITY_CA_FILE ? readFileSync(config.AUTHORITY_CA_FILE, 'utf8') : undefined,
  };
  if (config.GRAPH_CLIENT_SECRET === undefined) {
    return { mode: 'app', tenantId: config.TENANT_ID, managedIdentityClientId: config.MANAGED_IDENTITY_CLIENT_ID };
  }
  return {
    mode: config.GRAPH_AUTH_MODE,
    tenantId: config.TENANT_ID,
    clientId: config.GRAPH_CLIENT_ID,
    clientSecret: config.GRAPH_CLIENT_SECRET,
    ...authority,
  };
}

/**
 * Delegated mode cannot approve anything without the OAuth connection: a name the token service
 * does not know stops the bot at start, unless a sign-in link of last resort is set. A token
 * service that cannot be asked now is only logged: clicks then say what is wrong.
 */
async function requireOAuthConnection(config: Config, botFramework: BotFrameworkIdentity, log: Logger): Promise<void> {
  if (config.GRAPH_AUTH_MODE !== 'delegated') return;
  const name = config.SSO_CONNECTION_NAME;
  const client = await startUpUserTokenClient(botFramework, config.GRAPH_CLIENT_ID);
  const check = client ? await checkOAuthConnection(client, name) : { unknown: 'no token service client without a bot id' };
  if ('unknown' in check) {
    log.warn({ connection: name, reason: check.unknown }, 'could not check the OAuth connection at start');
    return;
  }
  if (check.found || config.SSO_SIGN_IN_URL) return;
  const known = check.connections.length ? `its connections are ${check.connections.join(', ')}` : 'it has no OAuth connection';
  throw new ConfigError([
    `SSO_CONNECTION_NAME is ${name}, but the Bot Framework token service knows no such connection of this bot (${known}). Name the Azure Bot's OAuth connection, or set SSO_SIGN_IN_URL.`,
  ]);
}

/** Delegated mode's sign-in, with the settings config has made sure of. */
function signInSettings(config: Config, credentials: GraphCredentials, botFramework: BotFrameworkIdentity): SignInSettings | undefined {
  if (config.GRAPH_AUTH_MODE !== 'delegated' || !credentials.approverSignIn) return undefined;
  const clientId = config.GRAPH_CLIENT_ID;
  return {
    connectionName: config.SSO_CONNECTION_NAME,
    resourceUri: config.SSO_RESOURCE_URI,
    clientId,
    tenantId: config.TENANT_ID,
    graphAudiences: GRAPH_TOKEN_AUDIENCES,
    signInUrl: config.SSO_SIGN_IN_URL,
    userTokens: localUserTokenClient(botFramework, clientId),
    tokens: credentials.approverSignIn,
  };
}

function configuredApprovalsChannel(config: Config): Partial<ConversationReference> | undefined {
  if (!config.APPROVALS_CHANNEL_ID || !config.APPROVALS_SERVICE_URL) return undefined;
  return {
    channelId: 'msteams',
    serviceUrl: config.APPROVALS_SERVICE_URL,
    conversation: { id: config.APPROVALS_CHANNEL_ID, isGroup: true, conversationType: 'channel', name: 'approvals' },
  };
}

/** Wires the store, Graph, the requests service and the Teams app, and listens for activities. */
export async function startBotServer(config: Config, options: BotServerOptions = {}): Promise<RunningBot> {
  const log = options.log ?? pino({ level: config.LOG_LEVEL });
  const credentials = createGraphCredentials(identitySettings(config));
  const botFramework: BotFrameworkIdentity = {
    botId: config.BOT_ID,
    botPassword: config.BOT_PASSWORD,
    botType: config.BOT_TYPE,
    tenantId: config.TENANT_ID,
    oauthEndpoint: config.BOT_OAUTH_ENDPOINT,
  };
  if (credentials.needsApproverToken) await requireOAuthConnection(config, botFramework, log);
  const storeItself = await openRequestStore(requestStoreOptionsOf(config));
  let dispatcher: OutboxDispatcher | undefined;
  // Clicks, Graph answers and deliveries that arrive together take the event loop in turns.
  const turns = new LoopTurns();
  const store = signallingChanges(takingTurns(storeItself, turns), () => dispatcher?.wake());
  const graph = { baseUrl: config.GRAPH_BASE_URL, retry: { timeoutMs: config.GRAPH_TIMEOUT_MS }, takeTurn: () => turns.take() };
  const directory = new GraphDirectoryReader({ ...graph, credential: credentials.app });
  // A writer per creation; the creations that reach Graph together under one credential share $batches.
  const upserts = new UpsertsByCredential();
  const writerFor = (identity: CreationIdentity) =>
    new GraphGroupWriter({
      ...graph,
      credential: credentials.forApprover(identity.access),
      identity: credentials.needsApproverToken ? 'approver' : 'bot',
      upserts,
    });

  // One pacer for everything this instance sends to Teams: replies, posts, edits, notices.
  const pacer = new ConversationPacer();
  const adapter = new PacedTeamsAdapter(adapterSettings(botFramework), pacer);
  adapter.use(new TeamsSizeLimit(log));
  const botAppId = config.BOT_ID ?? '';
  const approvals = new ApprovalsChannel(store, configuredApprovalsChannel(config));
  const messenger = new ConversationMessenger(adapter, botAppId);
  const approverCacheMs = config.APPROVER_CACHE_SECONDS * 1000;
  const policy = config.approvalPolicy;
  const approvers = new ApproverPolicy(
    directory,
    config.APPROVERS_GROUP_ID,
    approverCacheMs,
    Date.now,
    policy ? policyGroupIds(policy) : [],
  );
  const service = new RequestService({
    store,
    directory,
    approvers,
    policy,
    writerFor,
    checkRule: checkMembershipRule,
    tenantId: config.TENANT_ID,
    checkpoint: options.checkpoint,
    approverAsOwner: !credentials.needsApproverToken,
    approverAccessRequired: credentials.needsApproverToken,
    onBackgroundError: (error, request) => log.error({ err: error, requestId: request.id }, 'background work failed'),
  });
  const audience =
    config.APPROVAL_BUTTONS === 'approvers' ? new ApproverAudience(new TeamRoster(messenger, approverCacheMs), log) : undefined;
  const publisher = new RequestCardsPublisher(approvals, audience, approvers);
  const edits = new RequestCardEdits(messenger, pacer, publisher, (id) => store.get(id));

  const signIn = signInSettings(config, credentials, botFramework);
  const background = new BackgroundWork();
  const app = createTeamsApp(
    adapter,
    botAppId,
    {
      service,
      approvers,
      approvals,
      edits,
      messenger,
      tenantId: config.TENANT_ID,
      submitAnswerWithinMs: config.SUBMIT_ANSWER_WITHIN_MS,
      decisionAnswerWithinMs: config.DECISION_ANSWER_WITHIN_MS,
      drafts: new FormDrafts(store),
      background,
      log,
    },
    { signIn },
  );

  warmCardTemplates().catch((error: unknown) => log.error({ err: error }, 'could not read the card templates'));

  let stopping = false;
  const http = createBotHttpApp({
    requireToken: Boolean(config.BOT_ID),
    // The answer is sent when the response ends: from then on, what the activity started is background work.
    processActivity: (req, res) =>
      turns.forAnswer(async (answered) => {
        res.once('finish', answered).once('close', answered);
        await turns.take();
        await adapter.process(req, res, async (context) => {
          await app.run(context);
        });
      }),
    store,
    stopping: () => stopping,
    log,
  });

  const server = await new Promise<Server>((resolve) => {
    const listening = http.listen(config.PORT, config.HOST, () => resolve(listening));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;
  // An instance is its host and port: a process restarted in its place takes its claims back at
  // once, while another instance waits for their lease to run out.
  const outbox = new OutboxDispatcher({
    store,
    messenger,
    approvals,
    publisher,
    edits,
    pacer,
    instanceId: `${hostname()}:${port}`,
    log,
    pollMs: config.OUTBOX_POLL_SECONDS * 1000,
    checkpoint: options.checkpoint,
  });
  dispatcher = outbox;
  log.info(
    { url: `${url}/api/messages`, store: config.STORE, graph: config.GRAPH_BASE_URL, mode: config.GRAPH_AUTH_MODE },
    'bot listening',
  );

  // No approver token survives a restart: in delegated mode such a creation fails with a
  // message asking an approver to Retry (and sign in); in app-only mode it simply finishes.
  const resume = async () => {
    const resumed = await service.resumeInterrupted(
      (request) => ({ actor: request.approver ?? { aadObjectId: '', name: 'the bot' } }),
      config.RESUME_AFTER_SECONDS * 1000,
    );
    if (resumed.length) log.info({ requests: resumed.map((r) => r.id) }, 'resuming interrupted creations');
  };
  outbox.start();
  await resume();
  const sweep = setInterval(() => {
    resume().catch((error: unknown) => log.error({ err: error }, 'could not look for interrupted creations'));
  }, config.RESUME_SWEEP_SECONDS * 1000);
  sweep.unref();

  const sweepWaiting = async () => {
    const moved = await service.sweepWaiting();
    if (moved.length) log.info({ requests: moved.map((r) => `${r.id} ${r.audit.at(-1)?.action ?? ''}`) }, 'reminded, escalated or expired');
  };
  // One sweep at a time: a slow one is not joined by the next.
  let sweeping: Promise<void> | undefined;
  const waitingSweep = setInterval(() => {
    sweeping ??= sweepWaiting()
      .catch((error: unknown) => log.error({ err: error }, 'could not look for reminders, escalations or expiries due'))
      .finally(() => (sweeping = undefined));
  }, config.WAITING_SWEEP_SECONDS * 1000);
  waitingSweep.unref();

  const settled = async () => {
    await background.settled();
    await service.settled();
    await outbox.settled();
  };

  return {
    url,
    service,
    store,
    settled,
    async stop() {
      stopping = true;
      clearInterval(sweep);
      clearInterval(waitingSweep);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sweeping;
      await background.settled();
      await service.settled();
      await outbox.stop();
      await store.close();
      evaluationThreads.close();
    },
  };
}
