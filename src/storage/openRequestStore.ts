import type { StoreConfig } from '../config';
import type { RequestStore } from '../requests/requestStore';
import { SqliteRequestStore } from './sqliteRequestStore';
import { RequestStoreConfigurationError } from './storeErrors';
import { TableRequestStore } from './tableRequestStore';

/** Where the bot keeps its requests: a local SQLite file, or Azure tables shared by several instances. */
export type RequestStoreOptions = { kind: 'sqlite'; path: string } | { kind: 'azureTables'; connectionString: string; tablePrefix: string };

/** The store the settings name, as the bot and the command line open it. */
export function requestStoreOptionsOf(config: StoreConfig): RequestStoreOptions {
  return config.STORE === 'sqlite'
    ? { kind: 'sqlite', path: config.SQLITE_PATH }
    : { kind: 'azureTables', connectionString: config.AZURE_STORAGE_CONNECTION_STRING, tablePrefix: config.AZURE_TABLE_PREFIX };
}

/** Table names are `<prefix>Requests`, `<prefix>Settings`, `<prefix>Drafts` and `<prefix>Outbox`; 55 leaves room for them in 63 characters. */
const TABLE_PREFIX = /^([A-Za-z][A-Za-z0-9]{0,54})?$/;

export async function openRequestStore(options: RequestStoreOptions): Promise<RequestStore> {
  switch (options.kind) {
    case 'sqlite':
      if (!options.path?.trim()) {
        throw new RequestStoreConfigurationError('The SQLite request store needs a file path, e.g. ./data/requests.sqlite.');
      }
      return SqliteRequestStore.open({ path: options.path });
    case 'azureTables':
      if (!options.connectionString?.trim()) {
        throw new RequestStoreConfigurationError('The Azure Tables request store needs the storage account connection string.');
      }
      if (!TABLE_PREFIX.test(options.tablePrefix ?? '')) {
        throw new RequestStoreConfigurationError(
          `The table prefix "${options.tablePrefix}" cannot start an Azure table name: ` +
            'use up to 55 letters and digits, starting with a letter (or leave it empty).',
        );
      }
      return TableRequestStore.open({
        connectionString: options.connectionString,
        requestsTable: `${options.tablePrefix}Requests`,
        settingsTable: `${options.tablePrefix}Settings`,
        draftsTable: `${options.tablePrefix}Drafts`,
        outboxTable: `${options.tablePrefix}Outbox`,
      });
    default:
      throw new RequestStoreConfigurationError(
        `Unknown request store kind ${JSON.stringify((options as { kind: unknown }).kind)}; use "sqlite" or "azureTables".`,
      );
  }
}
