import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, loadStoreConfig } from '../config';
import type { RequestStore } from '../requests/requestStore';
import { openRequestStore, requestStoreOptionsOf, type RequestStoreOptions } from '../storage/openRequestStore';
import { RequestStoreConfigurationError } from '../storage/storeErrors';

/** The store named by the settings cannot be read; the message says which setting or place to check. */
export class StoreUnreadableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreUnreadableError';
  }
}

export interface OpenedStore {
  store: RequestStore;
  /** Where the requests were read from, in words: the file, or the table and account. */
  description: string;
}

/**
 * Opens the store the bot's settings name, for reading. A SQLite file that is not there is refused
 * rather than created empty: an export of nothing from a mistyped path would look like no requests.
 */
export async function openConfiguredStore(env: NodeJS.ProcessEnv): Promise<OpenedStore> {
  let options: RequestStoreOptions;
  try {
    options = requestStoreOptionsOf(loadStoreConfig(env));
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new StoreUnreadableError(`The store settings are not usable:\n${error.problems.map((p) => `  - ${p}`).join('\n')}`);
    }
    throw error;
  }
  if (options.kind === 'sqlite' && !existsSync(resolve(options.path))) throw new StoreUnreadableError(missingFile(options.path, env));
  try {
    return { store: await openRequestStore(options), description: describe(options) };
  } catch (error) {
    if (error instanceof RequestStoreConfigurationError) throw new StoreUnreadableError(error.message);
    throw error;
  }
}

function missingFile(path: string, env: NodeJS.ProcessEnv): string {
  const full = resolve(path);
  if (env.STORE === undefined && env.SQLITE_PATH === undefined) {
    return (
      `No request store is configured: STORE and SQLITE_PATH are not set, and the default SQLite file ${full} does not exist. ` +
      "Set the bot's store settings: SQLITE_PATH=<the bot's requests file>, or STORE=azureTables with AZURE_STORAGE_CONNECTION_STRING."
    );
  }
  return `There is no SQLite request store at ${full} (SQLITE_PATH). Set SQLITE_PATH to the file the bot writes its requests to.`;
}

function describe(options: RequestStoreOptions): string {
  if (options.kind === 'sqlite') return `the SQLite file ${resolve(options.path)}`;
  const account = /AccountName=([^;]+)/i.exec(options.connectionString)?.[1] ?? 'the storage account';
  return `the Azure table ${options.tablePrefix}Requests of ${account}`;
}
