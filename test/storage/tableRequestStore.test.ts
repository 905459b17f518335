import { randomBytes, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { RestError, TableClient } from '@azure/data-tables';
import type { DirectoryPrincipal, GroupRequest } from '../../src/requests/groupRequest';
import { MailNicknameHeldError, VersionConflictError } from '../../src/requests/requestStore';
import { MAX_BODY_BYTES } from '../../src/storage/tableRequestBody';
import { TableOutbox } from '../../src/storage/tableOutbox';
import { TableRequestStore } from '../../src/storage/tableRequestStore';
import { RequestStoreConfigurationError, RequestTooLargeError } from '../../src/storage/storeErrors';
import { startAzuriteTables, type AzuriteTables } from '../support/azuriteTables';
import { describeRequestStoreContract } from './requestStoreContract';
import { nextVersionOf, sampleRequest } from './sampleRequest';

let azurite: AzuriteTables;

beforeAll(async () => {
  azurite = await startAzuriteTables();
});

afterAll(async () => {
  await azurite?.stop();
});

/** Fresh tables for every test, so tests never see each other's requests. */
function freshTables() {
  const prefix = `t${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  return {
    requestsTable: `${prefix}Requests`,
    settingsTable: `${prefix}Settings`,
    draftsTable: `${prefix}Drafts`,
    outboxTable: `${prefix}Outbox`,
  };
}

describeRequestStoreContract('TableRequestStore on Azurite', async () => {
  const tables = freshTables();
  return {
    open: () => TableRequestStore.open({ connectionString: azurite.connectionString, ...tables }),
    dispose: async () => {},
  };
});

describe('TableRequestStore limits and configuration', () => {
  test('a 5,000-member request is split over several binary properties, each within the 64 KiB limit', async () => {
    const tables = freshTables();
    const store = await TableRequestStore.open({ connectionString: azurite.connectionString, ...tables });
    const big = sampleRequest({ memberCount: 5000 });
    await store.insert(big);

    const raw = TableClient.fromConnectionString(azurite.connectionString, tables.requestsTable, {
      allowInsecureConnection: true,
    });
    const entity = await raw.getEntity<Record<string, unknown>>(big.id, 'request');
    const chunks = entity.bodyChunks as number;
    expect(chunks).toBeGreaterThan(1);
    for (let index = 0; index < chunks; index++) {
      expect((entity[`body${index}`] as Uint8Array).length).toBeLessThanOrEqual(64 * 1024);
    }
    expect(await store.get(big.id)).toEqual(big);
  });

  test('a request too big for one entity is refused with a clear error and nothing is stored', async () => {
    const store = await TableRequestStore.open({ connectionString: azurite.connectionString, ...freshTables() });
    // Random names do not compress: well over what one entity can hold.
    const huge = withIncompressibleMembers(sampleRequest(), 8000);
    await expect(store.insert(huge)).rejects.toThrow(RequestTooLargeError);
    await expect(store.insert(huge)).rejects.toThrow(/split the members over several requests/);
    expect(await store.get(huge.id)).toBeUndefined();
  });

  test('the largest request the store accepts is really accepted by Table storage', async () => {
    const store = await TableRequestStore.open({ connectionString: azurite.connectionString, ...freshTables() });
    const largest = largestAcceptedRequest();
    await store.insert(largest);
    expect(await store.get(largest.id)).toEqual(largest);
    const approved = nextVersionOf(largest, { status: 'approved' });
    await store.replace(largest, approved);
    expect(await store.get(largest.id)).toEqual(approved);
  });

  test('a setting longer than one table property can hold is refused, naming the setting and the limit', async () => {
    const store = await TableRequestStore.open({ connectionString: azurite.connectionString, ...freshTables() });
    await expect(store.setSetting('approvalsChannel', 'x'.repeat(40_000))).rejects.toThrow(
      'Setting approvalsChannel is 40000 characters long; a setting holds at most 32768.',
    );
    expect(await store.getSetting('approvalsChannel')).toBeUndefined();
  });

  test('a table name Azure would reject is refused before any call, naming the rule', async () => {
    await expect(
      TableRequestStore.open({
        connectionString: azurite.connectionString,
        requestsTable: 'group-requests',
        settingsTable: 'Settings',
        draftsTable: 'Drafts',
        outboxTable: 'Outbox',
      }),
    ).rejects.toThrow(/"group-requests" is not a valid Azure table name: use 3 to 63 letters and digits/);
  });

  test('a connection string that is not one is refused as a configuration error', async () => {
    await expect(TableRequestStore.open({ connectionString: 'not a connection string', ...freshTables() })).rejects.toThrow(
      RequestStoreConfigurationError,
    );
  });
});

function withIncompressibleMembers(request: GroupRequest, count: number): GroupRequest {
  const members = Array.from({ length: count }, (): DirectoryPrincipal => ({
    id: randomUUID(),
    displayName: randomBytes(96).toString('base64'),
    reference: `${randomBytes(12).toString('hex')}@contoso.example`,
    kind: 'user',
  }));
  return { ...request, members };
}

/** A request whose compressed body is just under the store's limit (within 16 KiB of it). */
function largestAcceptedRequest(): GroupRequest {
  const candidate = withIncompressibleMembers(sampleRequest(), 8000);
  const compressedSize = (request: GroupRequest) => gzipSync(JSON.stringify(request)).length;
  let count = Math.floor((candidate.members.length * (MAX_BODY_BYTES - 8 * 1024)) / compressedSize(candidate));
  while (compressedSize({ ...candidate, members: candidate.members.slice(0, count) }) > MAX_BODY_BYTES) count -= 20;
  const largest = { ...candidate, members: candidate.members.slice(0, count) };
  expect(compressedSize(largest)).toBeGreaterThan(MAX_BODY_BYTES - 16 * 1024);
  return largest;
}

describe('TableRequestStore filled in bulk', () => {
  test('holds the nicknames of the open requests of 1,000 stored at once, and lists them in order', async () => {
    const store = await TableRequestStore.open({ connectionString: azurite.connectionString, ...freshTables() });
    const requester = randomUUID();
    const stored = Array.from({ length: 1000 }, (_, i): GroupRequest => {
      const sample = sampleRequest({
        memberCount: 1,
        requesterId: requester,
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
      });
      return { ...sample, status: i % 2 === 0 ? 'submitted' : 'created', spec: { ...sample.spec, mailNickname: `Bulk-${i}` } };
    });
    await store.insertMany(stored);

    const twin = sampleRequest();
    await expect(store.insert({ ...twin, spec: { ...twin.spec, mailNickname: 'BULK-998' } })).rejects.toThrow(
      new MailNicknameHeldError('BULK-998', stored[998].id),
    );
    expect(await store.findOpenByMailNickname('bulk-999')).toBeUndefined();
    expect((await store.listByStatus(['submitted'], 3)).map((request) => request.id)).toEqual([stored[0].id, stored[2].id, stored[4].id]);
    expect((await store.listByRequester(requester, 2)).map((request) => request.id)).toEqual([stored[999].id, stored[998].id]);
    expect(await store.get(stored[500].id)).toEqual(stored[500]);
  }, 60_000);
});

describe('TableRequestStore outbox', () => {
  const submitted = { type: 'statusChanged', to: 'submitted' } as const;
  const rejected = { type: 'statusChanged', from: 'submitted', to: 'rejected' } as const;
  const approved = { type: 'statusChanged', from: 'submitted', to: 'approved' } as const;
  const wanted = { type: 'approvalCardWanted' } as const;

  test('changes a store wrote before the outbox had a table of its own are still delivered after the upgrade', async () => {
    const tables = freshTables();
    const store = await TableRequestStore.open({ connectionString: azurite.connectionString, ...tables });
    const request = sampleRequest();
    await store.insert(request, [submitted, wanted]);
    await store.finishChange((await store.pendingChanges(1))[0]);

    // As the store before it left things: the outbox entry in the requests table, one per request, naming it alone.
    const requests = TableClient.fromConnectionString(azurite.connectionString, tables.requestsTable, { allowInsecureConnection: true });
    const outbox = TableClient.fromConnectionString(azurite.connectionString, tables.outboxTable, { allowInsecureConnection: true });
    for await (const entry of outbox.listEntities()) await outbox.deleteEntity(entry.partitionKey!, entry.rowKey!);
    await requests.createEntity({ partitionKey: '%outbox', rowKey: encodeURIComponent(request.id), requestId: request.id });
    expect(await store.pendingChanges(10)).toEqual([]);

    const upgraded = await TableRequestStore.open({ connectionString: azurite.connectionString, ...tables });
    expect(await upgraded.pendingChanges(10)).toEqual([{ requestId: request.id, version: 1, index: 1, change: wanted, delivered: [] }]);
    const left = [];
    for await (const entry of requests.listEntities({ queryOptions: { filter: "PartitionKey eq '%outbox'" } })) left.push(entry);
    expect(left).toEqual([]);
  });

  test('a write that loses to a write of more changes, announcing after it, leaves every change of the winner pending', async () => {
    const tables = freshTables();
    const store = await TableRequestStore.open({ connectionString: azurite.connectionString, ...tables });
    const other = await TableRequestStore.open({ connectionString: azurite.connectionString, ...tables });
    const request = sampleRequest();
    await store.insert(request);
    await other.get(request.id);
    await store.replace(request, nextVersionOf(request, { status: 'approved' }), [approved, wanted]);
    await expect(other.replace(request, nextVersionOf(request, { status: 'rejected' }), [rejected])).rejects.toThrow(VersionConflictError);
    expect((await store.pendingChanges(10)).map((change) => change.change)).toEqual([approved, wanted]);
  });

  test('a write whose changes are all delivered leaves the outbox at the next read, while one announced but not yet stored stays', async () => {
    const tables = freshTables();
    const store = await TableRequestStore.open({ connectionString: azurite.connectionString, ...tables });
    const outbox = TableClient.fromConnectionString(azurite.connectionString, tables.outboxTable, { allowInsecureConnection: true });
    const entries = async () => {
      const rows: string[] = [];
      for await (const entry of outbox.listEntities()) rows.push(entry.rowKey!);
      return rows;
    };
    const request = sampleRequest();
    await store.insert(request, [submitted, wanted]);
    for (const change of await store.pendingChanges(10)) await store.finishChange(change);
    // As a writer of the next version leaves it between its announcement and its batch.
    const announced = `${encodeURIComponent(request.id)}|${String(2).padStart(10, '0')}`;
    await outbox.createEntity({ partitionKey: '%outbox', rowKey: announced, requestId: request.id, version: 2, count: 1 });

    expect(await store.pendingChanges(10)).toEqual([]);
    expect(await entries()).toEqual([announced]);

    const next = nextVersionOf(request, { status: 'approved' });
    await store.replace(request, next, [approved]);
    expect((await store.pendingChanges(10)).map((change) => change.change)).toEqual([approved]);
  });

  test('a write whose batch lands while its announcement is read is still delivered', async () => {
    const tables = freshTables();
    const store = await TableRequestStore.open({ connectionString: azurite.connectionString, ...tables });
    const client = (table: string) => TableClient.fromConnectionString(azurite.connectionString, table, { allowInsecureConnection: true });
    const request = sampleRequest();
    await store.insert(request);
    await store.replace(request, nextVersionOf(request, { status: 'approved' }), [approved]);
    // A reader that reads the change rows just before the batch lands, and the request just after.
    let rowsRead = false;
    const requests = client(tables.requestsTable);
    const beforeTheBatch = new Proxy(requests, {
      get: (target, property, receiver) =>
        property === 'getEntity'
          ? async (...args: Parameters<TableClient['getEntity']>) => {
              if (!rowsRead && args[1].startsWith('change-')) {
                rowsRead = true;
                throw new RestError('The specified resource does not exist.', { statusCode: 404 });
              }
              return target.getEntity(...args);
            }
          : Reflect.get(target, property, receiver),
    });

    const read = await new TableOutbox(beforeTheBatch, client(tables.outboxTable)).pendingChanges(10);
    expect(read.map((change) => change.change)).toEqual([approved]);
    expect((await store.pendingChanges(10)).map((change) => change.change)).toEqual([approved]);
  });
});

describe('TableRequestStore nickname reservations', () => {
  test('reservations a store made before each nickname had its partition still hold after the upgrade, and settle as before', async () => {
    const tables = freshTables();
    const requests = TableClient.fromConnectionString(azurite.connectionString, tables.requestsTable, { allowInsecureConnection: true });
    const store = await TableRequestStore.open({ connectionString: azurite.connectionString, ...tables });
    const holder = sampleRequest();
    await store.insert(holder);
    // As the store before it left things: every reservation in one partition, row key the nickname.
    for await (const entity of requests.listEntities({
      queryOptions: { filter: "PartitionKey ge '%nickname' and PartitionKey lt '%nicknamf'" },
    })) {
      await requests.deleteEntity(entity.partitionKey!, entity.rowKey!);
    }
    await requests.createEntity({
      partitionKey: '%nickname',
      rowKey: encodeURIComponent(holder.spec.mailNickname.toLowerCase()),
      requestId: holder.id,
      createdAt: holder.createdAt,
    });

    const upgraded = await TableRequestStore.open({ connectionString: azurite.connectionString, ...tables });
    expect(await upgraded.findOpenByMailNickname(holder.spec.mailNickname.toUpperCase())).toEqual(holder);
    const twin = sampleRequest();
    await expect(upgraded.insert({ ...twin, spec: { ...twin.spec, mailNickname: holder.spec.mailNickname } })).rejects.toThrow(
      new MailNicknameHeldError(holder.spec.mailNickname, holder.id),
    );
    const left = [];
    for await (const entity of requests.listEntities({ queryOptions: { filter: "PartitionKey eq '%nickname'" } })) left.push(entity);
    expect(left).toEqual([]);

    await upgraded.replace(holder, nextVersionOf(holder, { status: 'rejected' }));
    expect(await upgraded.findOpenByMailNickname(holder.spec.mailNickname)).toBeUndefined();
    await upgraded.insert({ ...twin, spec: { ...twin.spec, mailNickname: holder.spec.mailNickname } });
  });
});
