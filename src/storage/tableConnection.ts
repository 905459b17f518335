import { RestError, TableClient, type TableServiceClientOptions } from '@azure/data-tables';
import { RequestStoreConfigurationError } from './storeErrors';

const TABLE_NAME = /^[A-Za-z][A-Za-z0-9]{2,62}$/;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** A client for one table, refusing names Table storage would reject with a less helpful message. */
export function tableClient(connectionString: string, tableName: string): TableClient {
  if (!TABLE_NAME.test(tableName)) {
    throw new RequestStoreConfigurationError(
      `"${tableName}" is not a valid Azure table name: use 3 to 63 letters and digits, starting with a letter.`,
    );
  }
  try {
    return TableClient.fromConnectionString(connectionString, tableName, clientOptions(connectionString));
  } catch (error) {
    throw new RequestStoreConfigurationError(
      `The Azure Storage connection string cannot be used: ${(error as Error).message}. ` +
        'Copy it from the storage account\'s "Access keys" page, or use the emulator\'s.',
    );
  }
}

/** Plain HTTP is allowed only towards a local emulator; a real account is always reached over HTTPS. */
function clientOptions(connectionString: string): TableServiceClientOptions {
  const settings = new Map(
    connectionString
      .split(';')
      .filter((part) => part.includes('='))
      .map((part) => {
        const equals = part.indexOf('=');
        return [part.slice(0, equals).trim().toLowerCase(), part.slice(equals + 1).trim()] as const;
      }),
  );
  if (settings.get('usedevelopmentstorage') === 'true') return { allowInsecureConnection: true };
  const endpoint = settings.get('tableendpoint');
  if (endpoint === undefined) return {};
  try {
    const url = new URL(endpoint);
    return { allowInsecureConnection: url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname) };
  } catch {
    return {};
  }
}

/** The HTTP status Table storage answered with, if the error is its answer. */
export function statusOf(error: unknown): number | undefined {
  return error instanceof RestError ? error.statusCode : undefined;
}

/** For a conditional write or delete of an entity another instance removed or rewrote first: nothing left to do. */
export function ignoreGoneOrChanged(error: unknown): void {
  if (statusOf(error) !== 404 && statusOf(error) !== 412) throw error;
}

/** For a read of an entity that may not be there: undefined when it is not. */
export function absentWhenNotFound(error: unknown): undefined {
  if (statusOf(error) === 404) return undefined;
  throw error;
}
