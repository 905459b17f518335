import { z } from 'zod';
import { ApprovalPolicyFileError, readApprovalPolicy } from './approvalPolicyFile';
import type { ApprovalPolicy } from './requests/approvalPolicy';

/**
 * Every setting, read from the environment once at start and checked, so a mistake stops the
 * bot with a message that names the variable instead of failing later in a conversation.
 */

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID');
const optional = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));

const Environment = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    HOST: z.string().default('127.0.0.1'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

    /** The bot's app registration (Azure Bot); empty locally, where no Bot Framework token is checked. */
    BOT_ID: optional,
    BOT_PASSWORD: optional,
    BOT_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('SingleTenant'),

    TENANT_ID: guid,
    APPROVERS_GROUP_ID: guid,
    APPROVER_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
    /**
     * Who sees Approve and Reject on the approval card: the approvers of the channel's team
     * (Teams' user-specific views), or everyone, for a client without them (the Agents Playground).
     */
    APPROVAL_BUTTONS: z.enum(['approvers', 'everyone']).default('approvers'),
    /** An approvals channel set by the operator: the channel's conversation id and its service URL. */
    APPROVALS_CHANNEL_ID: optional,
    APPROVALS_SERVICE_URL: optional,
    /**
     * Who approves what, in how many stages (JSON, or YAML for .yaml/.yml): see README "Approval
     * policy". Without it every request has one stage, decided by APPROVERS_GROUP_ID.
     */
    APPROVAL_POLICY_FILE: optional,

    GRAPH_BASE_URL: z.string().url().default('https://graph.microsoft.com'),
    GRAPH_AUTH_MODE: z.enum(['delegated', 'app']).default('delegated'),
    GRAPH_CLIENT_ID: optional,
    GRAPH_CLIENT_SECRET: optional,
    MANAGED_IDENTITY_CLIENT_ID: optional,
    AUTHORITY_HOST: optional,
    /** A file with the PEM of a CA the token authority uses (the local token service's). */
    AUTHORITY_CA_FILE: optional,
    GRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).default(30000),

    SSO_CONNECTION_NAME: optional,
    SSO_RESOURCE_URI: optional,
    /** A sign-in link of last resort, for when the token service cannot make one for the connection. */
    SSO_SIGN_IN_URL: optional.pipe(z.string().url().optional()),
    /**
     * The Bot Framework token service (botbuilder's `OAuthApiEndpoint`); Microsoft's public one
     * (https://api.botframework.com) unless set, e.g. to the local stand-in.
     */
    BOT_OAUTH_ENDPOINT: optional.pipe(z.string().url().optional()),

    STORE: z.enum(['sqlite', 'azureTables']).default('sqlite'),
    SQLITE_PATH: z.string().default('.data/requests.db'),
    AZURE_STORAGE_CONNECTION_STRING: optional,
    AZURE_TABLE_PREFIX: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9]{0,40}$/)
      .default('GroupRequests'),

    /** Teams waits only seconds for a card action's answer; a longer submission answers "checking". */
    SUBMIT_ANSWER_WITHIN_MS: z.coerce.number().int().min(0).max(60000).default(4000),
    /** Approve, Reject, Cancel, Retry and Abandon answer within this; longer Graph work goes on after a "working" card. */
    DECISION_ANSWER_WITHIN_MS: z.coerce.number().int().min(0).max(60000).default(4000),

    /**
     * A creation nothing was written to for this long is taken to be abandoned by a stopped bot
     * instance and finished by this one (checked at start and every RESUME_SWEEP_SECONDS).
     */
    RESUME_AFTER_SECONDS: z.coerce.number().int().min(0).max(86400).default(120),
    RESUME_SWEEP_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),

    /**
     * How often waiting requests are looked at for a reminder, escalation or expiry their route's
     * durations say is due (a few seconds in tests; a minute is plenty for hours and days).
     */
    WAITING_SWEEP_SECONDS: z.coerce.number().min(0.1).max(3600).default(60),

    /** How often the outbox is read for card updates and notices other instances stored, or a restart left. */
    OUTBOX_POLL_SECONDS: z.coerce.number().min(0.1).max(3600).default(5),

    /** Test hook: the bot stops itself at this named point of a creation, to prove recovery. */
    CRASH_AT: optional,
  })
  .superRefine((env, ctx) => {
    const need = (key: keyof typeof env, why: string) => {
      if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: `is required ${why}` });
    };
    if (env.GRAPH_AUTH_MODE === 'delegated') checkOneRegistration(env, ctx);
    if (!!env.APPROVALS_CHANNEL_ID !== !!env.APPROVALS_SERVICE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['APPROVALS_SERVICE_URL'],
        message: 'APPROVALS_CHANNEL_ID and APPROVALS_SERVICE_URL go together',
      });
    }
    if (env.BOT_ID && !env.BOT_PASSWORD && env.BOT_TYPE !== 'UserAssignedMSI') need('BOT_PASSWORD', 'with BOT_ID');
    const loopback = ['127.0.0.1', 'localhost', '::1'].includes(env.HOST);
    if (!env.BOT_ID && !loopback) {
      ctx.addIssue({
        code: 'custom',
        path: ['HOST'],
        message: `is ${env.HOST}, but with no BOT_ID incoming requests are not authenticated, so the bot listens on loopback only`,
      });
    }
  });

type Settings = z.infer<typeof Environment>;

/**
 * Where requests are kept. Every setting stays readable in every variant; the variant says which
 * ones the checks made sure of.
 */
export type StoreSettings =
  { STORE: 'sqlite'; AZURE_STORAGE_CONNECTION_STRING?: string } | { STORE: 'azureTables'; AZURE_STORAGE_CONNECTION_STRING: string };

/** How groups are created, and what each way needs. */
export type GraphAuthSettings =
  | {
      /** On behalf of the approver: one app registration, Teams SSO. */
      GRAPH_AUTH_MODE: 'delegated';
      GRAPH_CLIENT_ID: string;
      GRAPH_CLIENT_SECRET: string;
      SSO_CONNECTION_NAME: string;
      SSO_RESOURCE_URI: string;
      MANAGED_IDENTITY_CLIENT_ID?: string;
    }
  | {
      /** As the bot, with an app registration's secret. */
      GRAPH_AUTH_MODE: 'app';
      GRAPH_CLIENT_ID: string;
      GRAPH_CLIENT_SECRET: string;
      SSO_CONNECTION_NAME?: string;
      SSO_RESOURCE_URI?: string;
      MANAGED_IDENTITY_CLIENT_ID?: string;
    }
  | {
      /** As the bot, with a managed identity (the user-assigned one named, or the system-assigned one). */
      GRAPH_AUTH_MODE: 'app';
      GRAPH_CLIENT_ID?: string;
      GRAPH_CLIENT_SECRET: undefined;
      SSO_CONNECTION_NAME?: string;
      SSO_RESOURCE_URI?: string;
      MANAGED_IDENTITY_CLIENT_ID?: string;
    };

type Variable = keyof StoreSettings | keyof GraphAuthSettings | 'GRAPH_CLIENT_SECRET' | 'MANAGED_IDENTITY_CLIENT_ID';

/** Every setting, typed by what was checked: `config.STORE === 'azureTables'` proves the connection string is there. */
export type Config = Omit<Settings, Variable> &
  StoreSettings &
  GraphAuthSettings & {
    /** The policy APPROVAL_POLICY_FILE names, checked; undefined without one. */
    approvalPolicy?: ApprovalPolicy;
  };

type Issue = (key: string, message: string) => void;

function required(value: string | undefined, key: string, why: string, issue: Issue): value is string {
  if (!value) issue(key, `is required ${why}`);
  return Boolean(value);
}

function storeSettings(env: Pick<Settings, 'STORE' | 'AZURE_STORAGE_CONNECTION_STRING'>, issue: Issue): StoreSettings | undefined {
  if (env.STORE === 'sqlite') return { STORE: 'sqlite', AZURE_STORAGE_CONNECTION_STRING: env.AZURE_STORAGE_CONNECTION_STRING };
  const connectionString = env.AZURE_STORAGE_CONNECTION_STRING;
  if (!required(connectionString, 'AZURE_STORAGE_CONNECTION_STRING', 'when STORE=azureTables', issue)) return undefined;
  return { STORE: 'azureTables', AZURE_STORAGE_CONNECTION_STRING: connectionString };
}

function graphAuthSettings(env: Settings, issue: Issue): GraphAuthSettings | undefined {
  const { GRAPH_CLIENT_ID: clientId, GRAPH_CLIENT_SECRET: secret, SSO_CONNECTION_NAME: connection, SSO_RESOURCE_URI: resource } = env;
  const optional = {
    SSO_CONNECTION_NAME: connection,
    SSO_RESOURCE_URI: resource,
    MANAGED_IDENTITY_CLIENT_ID: env.MANAGED_IDENTITY_CLIENT_ID,
  };
  if (env.GRAPH_AUTH_MODE === 'delegated') {
    const checked = [
      required(clientId, 'GRAPH_CLIENT_ID', 'for on-behalf-of group creation', issue),
      required(secret, 'GRAPH_CLIENT_SECRET', 'for on-behalf-of group creation', issue),
      required(connection, 'SSO_CONNECTION_NAME', 'so Teams can sign approvers in', issue),
      required(resource, 'SSO_RESOURCE_URI', 'so Teams can sign approvers in', issue),
    ];
    if (!checked.every(Boolean) || !clientId || !secret || !connection || !resource) return undefined;
    return {
      ...optional,
      GRAPH_AUTH_MODE: 'delegated',
      GRAPH_CLIENT_ID: clientId,
      GRAPH_CLIENT_SECRET: secret,
      SSO_CONNECTION_NAME: connection,
      SSO_RESOURCE_URI: resource,
    };
  }
  // With no secret the bot signs in as a managed identity, unless a client id asks for a secret.
  if (!secret) {
    if (clientId && !env.MANAGED_IDENTITY_CLIENT_ID) {
      required(secret, 'GRAPH_CLIENT_SECRET', 'with GRAPH_CLIENT_ID in app mode (or set MANAGED_IDENTITY_CLIENT_ID instead)', issue);
      return undefined;
    }
    return { ...optional, GRAPH_AUTH_MODE: 'app', GRAPH_CLIENT_ID: clientId, GRAPH_CLIENT_SECRET: undefined };
  }
  if (!required(clientId, 'GRAPH_CLIENT_ID', 'with GRAPH_CLIENT_SECRET in app mode: the app registration the secret belongs to', issue))
    return undefined;
  return { ...optional, GRAPH_AUTH_MODE: 'app', GRAPH_CLIENT_ID: clientId, GRAPH_CLIENT_SECRET: secret };
}

/**
 * Delegated mode signs approvers in to the bot and exchanges that token for Graph with the same
 * app registration: Teams SSO tokens are addressed to it, and only it may exchange them.
 */
function checkOneRegistration(env: { BOT_ID?: string; GRAPH_CLIENT_ID?: string; SSO_RESOURCE_URI?: string }, ctx: z.RefinementCtx): void {
  const clientId = env.GRAPH_CLIENT_ID?.toLowerCase();
  if (!clientId) return;
  if (env.BOT_ID && env.BOT_ID.toLowerCase() !== clientId) {
    ctx.addIssue({
      code: 'custom',
      path: ['GRAPH_CLIENT_ID'],
      message: `is ${env.GRAPH_CLIENT_ID} but BOT_ID is ${env.BOT_ID}: in delegated mode the bot, its Teams SSO (the manifest's webApplicationInfo.id) and Graph use one app registration`,
    });
  }
  if (env.SSO_RESOURCE_URI && !env.SSO_RESOURCE_URI.toLowerCase().endsWith(`botid-${clientId}`)) {
    ctx.addIssue({
      code: 'custom',
      path: ['SSO_RESOURCE_URI'],
      message: `is ${env.SSO_RESOURCE_URI} but must be the Application ID URI of app ${env.GRAPH_CLIENT_ID}, api://<bot domain>/botid-${env.GRAPH_CLIENT_ID}, as the manifest's webApplicationInfo.resource`,
    });
  }
}

function policySettings(env: Settings, issue: Issue): ApprovalPolicy | undefined {
  const file = env.APPROVAL_POLICY_FILE;
  if (!file) return undefined;
  try {
    return readApprovalPolicy(file, env.APPROVALS_SERVICE_URL);
  } catch (error) {
    if (!(error instanceof ApprovalPolicyFileError)) throw error;
    for (const problem of error.problems) issue('APPROVAL_POLICY_FILE', `${file}: ${problem}`);
    return undefined;
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`The bot's settings are not usable:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The settings that say where requests are kept, for tools that read the store without running the bot. */
export type StoreConfig = Pick<Settings, 'SQLITE_PATH' | 'AZURE_TABLE_PREFIX'> & StoreSettings;

const StoreVariables = Environment.innerType().pick({
  STORE: true,
  SQLITE_PATH: true,
  AZURE_STORAGE_CONNECTION_STRING: true,
  AZURE_TABLE_PREFIX: true,
});

/** Reads and checks only the store settings, exactly as loadConfig reads them. */
export function loadStoreConfig(env: NodeJS.ProcessEnv = process.env): StoreConfig {
  const parsed = StoreVariables.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`);
  if (!parsed.success) throw new ConfigError(problems);
  const { SQLITE_PATH, AZURE_TABLE_PREFIX } = parsed.data;
  const store = storeSettings(parsed.data, (key, message) => problems.push(`${key} ${message}`));
  if (!store) throw new ConfigError(problems);
  return { SQLITE_PATH, AZURE_TABLE_PREFIX, ...store };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Environment.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`);
  if (!parsed.success) throw new ConfigError(problems);
  const issue: Issue = (key, message) => problems.push(`${key} ${message}`);
  const store = storeSettings(parsed.data, issue);
  const graph = graphAuthSettings(parsed.data, issue);
  const approvalPolicy = policySettings(parsed.data, issue);
  if (!store || !graph || problems.length > 0) throw new ConfigError(problems);
  return { ...parsed.data, ...store, ...graph, ...(approvalPolicy ? { approvalPolicy } : {}) };
}
