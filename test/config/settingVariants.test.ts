import { ConfigError, loadConfig, type Config } from '../../src/config';

/** What loadConfig makes sure of for each store and each way of creating groups, and what it refuses. */

const base = {
  TENANT_ID: '3f1c2b4a-6d5e-4c7b-9a8f-0e1d2c3b4a59',
  APPROVERS_GROUP_ID: '0c4d9a58-3b7e-4f21-9d1a-6e2f8b3c5a77',
  GRAPH_AUTH_MODE: 'app',
};
const clientId = '5d7e2f40-1c3b-4e8a-b0f6-9a2c4d6e8f10';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

/** The connection string, which the type only promises on the table store. */
const tableConnection = (config: Config) => (config.STORE === 'azureTables' ? config.AZURE_STORAGE_CONNECTION_STRING : undefined);

describe('the store', () => {
  it('is SQLite unless told otherwise, with its file', () => {
    expect(loadConfig(base)).toMatchObject({ STORE: 'sqlite', SQLITE_PATH: '.data/requests.db' });
  });

  it('is Azure Tables only with a connection string, which the table variant then carries', () => {
    expect(problems({ ...base, STORE: 'azureTables' })).toEqual(['AZURE_STORAGE_CONNECTION_STRING is required when STORE=azureTables']);
    expect(
      tableConnection(loadConfig({ ...base, STORE: 'azureTables', AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' })),
    ).toBe('UseDevelopmentStorage=true');
  });
});

describe('how groups are created', () => {
  it('in delegated mode names every missing setting at once', () => {
    expect(problems({ ...base, GRAPH_AUTH_MODE: 'delegated' })).toEqual([
      'GRAPH_CLIENT_ID is required for on-behalf-of group creation',
      'GRAPH_CLIENT_SECRET is required for on-behalf-of group creation',
      'SSO_CONNECTION_NAME is required so Teams can sign approvers in',
      'SSO_RESOURCE_URI is required so Teams can sign approvers in',
    ]);
  });

  it('in app mode with no secret uses a managed identity, and says so in the type', () => {
    const config = loadConfig({ ...base, MANAGED_IDENTITY_CLIENT_ID: clientId });
    expect(config).toMatchObject({ GRAPH_AUTH_MODE: 'app', GRAPH_CLIENT_SECRET: undefined, MANAGED_IDENTITY_CLIENT_ID: clientId });
  });

  it('in app mode asks for the secret of a client id given without a managed identity', () => {
    expect(problems({ ...base, GRAPH_CLIENT_ID: clientId })).toEqual([
      'GRAPH_CLIENT_SECRET is required with GRAPH_CLIENT_ID in app mode (or set MANAGED_IDENTITY_CLIENT_ID instead)',
    ]);
  });

  it('in app mode refuses a secret with no client id to go with it', () => {
    expect(problems({ ...base, GRAPH_CLIENT_SECRET: 'secret' })).toEqual([
      'GRAPH_CLIENT_ID is required with GRAPH_CLIENT_SECRET in app mode: the app registration the secret belongs to',
    ]);
    expect(loadConfig({ ...base, GRAPH_CLIENT_ID: clientId, GRAPH_CLIENT_SECRET: 'secret' })).toMatchObject({
      GRAPH_CLIENT_ID: clientId,
      GRAPH_CLIENT_SECRET: 'secret',
    });
  });

  it('reports a store problem and a Graph problem together', () => {
    expect(problems({ ...base, STORE: 'azureTables', GRAPH_CLIENT_SECRET: 'secret' })).toHaveLength(2);
  });
});
