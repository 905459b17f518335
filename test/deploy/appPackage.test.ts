import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommand } from '../../src/bot/commandText';
import { COMMANDS } from '../../src/cards/helpCard';
import { loadConfig } from '../../src/config';
import { appSettingNames } from './bicepAppSettings';
import { isBotSetting, requiredSettings, type Environment } from './configRequirements';
import { parseEnvFile, placeholders } from './envFile';
import { readPngHeader, readRgbaPixels } from '../../scripts/package/pngImage';

const root = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path));
const text = (path: string) => read(path).toString('utf8');

const MANIFEST_VERSION = '1.22';

interface CommandList {
  scopes: string[];
  commands: { title: string; description: string }[];
}

const manifestText = text('appPackage/manifest.json');
const manifest = JSON.parse(manifestText);
const bot = manifest.bots[0] as { botId: string; scopes: string[]; commandLists: CommandList[] };
const devSample = parseEnvFile(text('env/.env.dev.sample'));
const bicep = text('infra/main.bicep');
const parametersText = text('infra/main.parameters.json');

const tenantId = '3f1c2b4a-6d5e-4c7b-9a8f-0e1d2c3b4a59';
const botAppId = '5d7e2f40-1c3b-4e8a-b0f6-9a2c4d6e8f10';

/** What the web app runs with in delegated mode (infra/main.bicep), Key Vault references resolved. */
const deployedDelegated: Environment = {
  HOST: '0.0.0.0',
  PORT: '8080',
  TENANT_ID: tenantId,
  APPROVERS_GROUP_ID: '0c4d9a58-3b7e-4f21-9d1a-6e2f8b3c5a77',
  BOT_ID: botAppId,
  BOT_PASSWORD: 'client-secret-from-key-vault',
  BOT_TYPE: 'SingleTenant',
  GRAPH_AUTH_MODE: 'delegated',
  GRAPH_CLIENT_ID: botAppId,
  GRAPH_CLIENT_SECRET: 'client-secret-from-key-vault',
  SSO_CONNECTION_NAME: 'graph-sso',
  SSO_RESOURCE_URI: `api://grouprequests-abc123.azurewebsites.net/botid-${botAppId}`,
  STORE: 'azureTables',
  AZURE_STORAGE_CONNECTION_STRING: 'DefaultEndpointsProtocol=https;AccountName=stabc123;AccountKey=a2V5;EndpointSuffix=core.windows.net',
  AZURE_TABLE_PREFIX: 'GroupRequests',
};

/** The same in app-only mode: the user-assigned managed identity is the bot and the Graph caller. */
const managedIdentityClientId = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const deployedAppOnly: Environment = {
  HOST: deployedDelegated.HOST,
  PORT: deployedDelegated.PORT,
  TENANT_ID: tenantId,
  APPROVERS_GROUP_ID: deployedDelegated.APPROVERS_GROUP_ID,
  BOT_ID: managedIdentityClientId,
  BOT_TYPE: 'UserAssignedMSI',
  GRAPH_AUTH_MODE: 'app',
  MANAGED_IDENTITY_CLIENT_ID: managedIdentityClientId,
  STORE: deployedDelegated.STORE,
  AZURE_STORAGE_CONNECTION_STRING: deployedDelegated.AZURE_STORAGE_CONNECTION_STRING,
};

describe('the Teams app manifest', () => {
  it(`is JSON on manifest schema ${MANIFEST_VERSION} with every field Teams requires`, () => {
    expect(manifest.$schema).toBe(`https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`);
    expect(manifest.manifestVersion).toBe(MANIFEST_VERSION);
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.id).toBe('${{TEAMS_APP_ID}}');
    for (const field of ['name', 'websiteUrl', 'privacyUrl', 'termsOfUseUrl'])
      expect(manifest.developer[field]).toEqual(expect.any(String));
    expect(manifest.name.short.length).toBeLessThanOrEqual(30);
    expect(manifest.name.full.length).toBeLessThanOrEqual(100);
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    expect(manifest.description.full.length).toBeLessThanOrEqual(4000);
    expect(manifest.accentColor).toMatch(/^#[0-9A-Fa-f]{6}$/);
    expect(manifest.icons).toEqual({ color: 'color.png', outline: 'outline.png' });
  });

  it('installs the registered bot in personal chat, teams and group chats', () => {
    expect(manifest.bots).toHaveLength(1);
    expect(bot.botId).toBe('${{BOT_ID}}');
    expect([...bot.scopes].sort()).toEqual(['groupChat', 'personal', 'team']);
  });

  it('offers in its command menu exactly the commands the help card lists', () => {
    const offered = new Set(bot.commandLists.flatMap((list) => list.commands.map((c) => c.title)));
    expect([...offered].sort()).toEqual(COMMANDS.map((c) => c.command).sort());
  });

  it('offers only commands the bot understands when picked from the menu', () => {
    for (const list of bot.commandLists) {
      expect(list.commands.length).toBeLessThanOrEqual(10);
      for (const { title } of list.commands) {
        expect(title.length).toBeLessThanOrEqual(32);
        const typed = title.replace('<id>', '7KQ2MH4D');
        expect({ typed, understood: parseCommand(typed).kind }).not.toEqual({ typed, understood: 'unknown' });
      }
    }
  });

  it('gives every scope a command list, and "use this channel for approvals" only in teams', () => {
    const listed = bot.commandLists.flatMap((list) => list.scopes);
    expect([...listed].sort()).toEqual([...bot.scopes].sort());
    for (const list of bot.commandLists) {
      const offersChannelChoice = list.commands.some((c) => c.title === 'use this channel for approvals');
      expect({ scopes: list.scopes, offersChannelChoice }).toEqual({
        scopes: list.scopes,
        offersChannelChoice: list.scopes.includes('team'),
      });
    }
  });

  it('declares the SSO resource the bot asks Teams to sign approvers in to', () => {
    expect(manifest.webApplicationInfo).toEqual({ id: '${{BOT_ID}}', resource: 'api://${{BOT_DOMAIN}}/botid-${{BOT_ID}}' });
    expect(manifest.validDomains).toEqual(expect.arrayContaining(['${{BOT_DOMAIN}}', 'token.botframework.com']));
    // The Bicep file builds the same URI for the bot's settings and its OAuth connection.
    expect(bicep).toContain("var ssoResourceUri = 'api://${botDomain}/botid-${botAppId}'");
  });

  it('has every placeholder it and the Bicep parameters use defined in env/.env.dev.sample', () => {
    const defined = new Set([...devSample.values.keys(), ...devSample.documented]);
    const used = [...placeholders(manifestText), ...placeholders(parametersText)];
    expect(used.filter((name) => !defined.has(name))).toEqual([]);
  });
});

describe('the app icons', () => {
  it('are a 192x192 colour PNG and a 32x32 outline PNG with transparency', () => {
    expect(readPngHeader(read('appPackage/color.png'))).toMatchObject({ width: 192, height: 192 });
    expect(readPngHeader(read('appPackage/outline.png'))).toMatchObject({ width: 32, height: 32, colorType: 6 });
  });

  it('draw the outline in white only, on a transparent background', () => {
    const pixels = readRgbaPixels(read('appPackage/outline.png'));
    const visible = pixels.filter(([, , , alpha]) => alpha > 0);
    const notWhite = visible.filter(([r, g, b]) => r !== 255 || g !== 255 || b !== 255);
    expect(notWhite).toEqual([]);
    expect(visible.length).toBeGreaterThan(pixels.length / 10);
    expect(pixels.filter(([, , , alpha]) => alpha === 0).length).toBeGreaterThan(pixels.length / 3);
  });
});

describe('the settings of a deployment to a real tenant', () => {
  const requiredDelegated = requiredSettings(deployedDelegated);

  it('finds the delegated-mode requirements in src/config.ts', () => {
    expect(requiredDelegated).toEqual(
      expect.arrayContaining([
        'TENANT_ID',
        'APPROVERS_GROUP_ID',
        'GRAPH_CLIENT_ID',
        'GRAPH_CLIENT_SECRET',
        'SSO_CONNECTION_NAME',
        'SSO_RESOURCE_URI',
      ]),
    );
  });

  it('documents in env/.env.dev.sample every setting the bot requires in delegated mode', () => {
    const documented = new Set([...devSample.values.keys(), ...devSample.documented]);
    expect(requiredDelegated.filter((name) => !documented.has(name))).toEqual([]);
  });

  it('keeps secrets out of env/.env.dev.sample', () => {
    for (const secret of ['BOT_PASSWORD', 'GRAPH_CLIENT_SECRET', 'AZURE_STORAGE_CONNECTION_STRING']) {
      expect({ secret, setInSample: devSample.values.has(secret), documented: devSample.documented.has(secret) }).toEqual({
        secret,
        setInSample: false,
        documented: true,
      });
    }
  });

  it('accepts the values env/.env.dev.sample ships once the tenant-specific ones are filled in', () => {
    const filledIn = {
      ...Object.fromEntries(devSample.values),
      ...Object.fromEntries(requiredDelegated.map((name) => [name, deployedDelegated[name]])),
    };
    expect(loadConfig(filledIn)).toMatchObject({
      GRAPH_AUTH_MODE: 'delegated',
      STORE: 'sqlite',
      HOST: '127.0.0.1',
      SSO_CONNECTION_NAME: 'graph-sso',
    });
  });

  it('names only settings the bot reads, placeholders, or App Service settings', () => {
    const placeholdersUsed = new Set([
      ...placeholders(manifestText),
      ...placeholders(parametersText),
      ...placeholders(text('m365agents.yml')),
    ]);
    const toolkit = new Set(['TEAMSFX_ENV', 'AZURE_SUBSCRIPTION_ID', 'AZURE_RESOURCE_GROUP_NAME']);
    const appService = new Set(['WEBSITES_PORT', 'SCM_DO_BUILD_DURING_DEPLOYMENT', 'NODE_ENV', 'NPM_CONFIG_INCLUDE']);
    const sampleNames = [...devSample.values.keys(), ...devSample.documented];
    const bicepNames = ['settingsForEveryMode', 'settingsForDelegatedMode', 'settingsForAppOnlyMode', 'approvalsChannelSettings'].flatMap(
      (block) => appSettingNames(bicep, block),
    );
    const unknown = [
      ...sampleNames.filter((n) => !isBotSetting(n, deployedDelegated) && !placeholdersUsed.has(n) && !toolkit.has(n)),
      ...bicepNames.filter((n) => !isBotSetting(n, deployedDelegated) && !appService.has(n)),
    ];
    expect(unknown).toEqual([]);
  });

  it('gives the web app every setting the bot requires, in delegated and in app-only mode', () => {
    expect(bicep).toContain(
      'appSettings: concat(settingsForEveryMode, isDelegated ? settingsForDelegatedMode : settingsForAppOnlyMode, approvalsChannelSettings)',
    );
    const every = appSettingNames(bicep, 'settingsForEveryMode');
    const delegated = new Set([...every, ...appSettingNames(bicep, 'settingsForDelegatedMode')]);
    const appOnly = new Set([...every, ...appSettingNames(bicep, 'settingsForAppOnlyMode')]);
    expect(requiredDelegated.filter((name) => !delegated.has(name))).toEqual([]);
    expect(requiredSettings(deployedAppOnly).filter((name) => !appOnly.has(name))).toEqual([]);
    expect([...appOnly]).toContain('MANAGED_IDENTITY_CLIENT_ID');
  });

  it('runs the web app as the environments above assume: every interface, port 8080, the shared table store, production mode', () => {
    for (const [name, value] of Object.entries({ HOST: '0.0.0.0', PORT: '8080', STORE: 'azureTables', NODE_ENV: 'production' })) {
      expect(bicep).toContain(`{ name: '${name}', value: '${value}' }`);
    }
    expect(bicep).toContain("{ name: 'BOT_TYPE', value: 'SingleTenant' }");
    expect(bicep).toContain("{ name: 'BOT_TYPE', value: 'UserAssignedMSI' }");
  });
});
