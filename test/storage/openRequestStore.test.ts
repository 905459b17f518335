import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TableServiceClient } from '@azure/data-tables';
import { openRequestStore, type RequestStoreOptions } from '../../src/storage/openRequestStore';
import { RequestStoreConfigurationError } from '../../src/storage/storeErrors';
import { startAzuriteTables, type AzuriteTables } from '../support/azuriteTables';
import { sampleRequest } from './sampleRequest';

describe('openRequestStore', () => {
  let folder: string;
  let azurite: AzuriteTables;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'open-request-store-'));
    azurite = await startAzuriteTables();
  });

  afterAll(async () => {
    await azurite?.stop();
    await rm(folder, { recursive: true, force: true });
  });

  test('kind "sqlite" opens a working store in the named file', async () => {
    const path = join(folder, 'nested', 'requests.sqlite');
    const store = await openRequestStore({ kind: 'sqlite', path });
    const request = sampleRequest();
    await store.insert(request);
    expect(await store.get(request.id)).toEqual(request);
    await store.close();
    expect(existsSync(path)).toBe(true);
  });

  test('kind "azureTables" opens a working store in <prefix>Requests and <prefix>Settings', async () => {
    const store = await openRequestStore({
      kind: 'azureTables',
      connectionString: azurite.connectionString,
      tablePrefix: 'groupBot',
    });
    const request = sampleRequest();
    await store.insert(request);
    await store.setSetting('approvalsChannel', '19:x@thread.tacv2');
    expect(await store.get(request.id)).toEqual(request);
    await store.close();

    const service = TableServiceClient.fromConnectionString(azurite.connectionString, { allowInsecureConnection: true });
    const names: string[] = [];
    for await (const table of service.listTables()) names.push(table.name!);
    expect(names).toEqual(expect.arrayContaining(['groupBotRequests', 'groupBotSettings']));
  });

  test.each<[string, RequestStoreOptions, RegExp]>([
    ['an empty SQLite path', { kind: 'sqlite', path: ' ' }, /needs a file path/],
    ['a missing connection string', { kind: 'azureTables', connectionString: '', tablePrefix: 'bot' }, /connection string/],
    [
      'a table prefix with a dash',
      { kind: 'azureTables', connectionString: 'UseDevelopmentStorage=true', tablePrefix: 'group-bot' },
      /table prefix "group-bot" cannot start an Azure table name/,
    ],
    ['an unknown kind', { kind: 'cosmos' } as unknown as RequestStoreOptions, /Unknown request store kind "cosmos"/],
  ])('%s is refused with a message saying what to fix', async (_, options, message) => {
    const opening = openRequestStore(options);
    await expect(opening).rejects.toThrow(RequestStoreConfigurationError);
    await expect(opening).rejects.toThrow(message);
  });
});
