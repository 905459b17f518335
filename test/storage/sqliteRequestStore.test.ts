import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import type { GroupRequest } from '../../src/requests/groupRequest';
import { MailNicknameHeldError } from '../../src/requests/requestStore';
import { SqliteRequestStore } from '../../src/storage/sqliteRequestStore';
import { SCHEMA_VERSION } from '../../src/storage/sqliteSchema';
import { RequestStoreConfigurationError } from '../../src/storage/storeErrors';
import { describeRequestStoreContract } from './requestStoreContract';
import { samplePair, sampleRequest } from './sampleRequest';

const run = promisify(execFile);

async function temporaryFolder(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'request-store-sqlite-'));
}

describeRequestStoreContract('SqliteRequestStore', async () => {
  const folder = await temporaryFolder();
  // A path in folders that do not exist yet: the store creates them.
  const path = join(folder, 'data', 'bot', 'requests.sqlite');
  return {
    open: () => SqliteRequestStore.open({ path }),
    dispose: () => rm(folder, { recursive: true, force: true }),
  };
});

describe('SqliteRequestStore on a file', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await temporaryFolder();
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  test('uses WAL mode and records its schema version, so other processes can read while one writes', async () => {
    const path = join(folder, 'requests.sqlite');
    await (await SqliteRequestStore.open({ path })).close();
    const db = new Database(path, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.prepare('SELECT version FROM schema_version').all()).toEqual([{ version: SCHEMA_VERSION }]);
    } finally {
      db.close();
    }
  });

  test('a file written by a newer bot is refused with a message saying so', async () => {
    const path = join(folder, 'requests.sqlite');
    await (await SqliteRequestStore.open({ path })).close();
    const db = new Database(path);
    db.prepare('UPDATE schema_version SET version = 99').run();
    db.close();
    await expect(SqliteRequestStore.open({ path })).rejects.toThrow(
      new RegExp(`schema version 99, newer than the ${SCHEMA_VERSION} this bot knows`),
    );
  });

  test('a file from before the nickname index keeps the oldest open holder of each nickname, and refuses new twins', async () => {
    const path = join(folder, 'requests.sqlite');
    const older = sampleRequest({ createdAt: '2026-01-01T09:00:00.000Z' });
    const twin = {
      ...sampleRequest({ createdAt: '2026-01-01T09:05:00.000Z' }),
      spec: { ...older.spec, mailNickname: older.spec.mailNickname.toUpperCase() },
    };
    await (await SqliteRequestStore.open({ path })).close();
    const db = new Database(path);
    db.exec(
      'DROP INDEX requests_by_open_device_mail_nickname; ALTER TABLE requests DROP COLUMN open_device_mail_nickname; ' +
        'DROP TABLE outbox; DROP INDEX requests_by_due; ALTER TABLE requests DROP COLUMN due_at; DROP INDEX requests_by_open_mail_nickname; ALTER TABLE requests DROP COLUMN open_mail_nickname; UPDATE schema_version SET version = 1',
    );
    const insert = db.prepare(
      `INSERT INTO requests (id, version, status, requester_aad_object_id, created_at, updated_at, body) VALUES (?, 1, 'submitted', 'r', ?, ?, ?)`,
    );
    for (const request of [older, twin]) insert.run(request.id, request.createdAt, request.createdAt, JSON.stringify(request));
    db.close();

    const store = await SqliteRequestStore.open({ path });
    try {
      expect((await store.findOpenByMailNickname(older.spec.mailNickname))?.id).toBe(older.id);
      expect(await store.get(twin.id)).toEqual(twin);
      const third = { ...sampleRequest(), spec: { ...older.spec } };
      await expect(store.insert(third)).rejects.toMatchObject({ heldBy: older.id });
    } finally {
      await store.close();
    }
  });

  test("a file from before the pair's device nickname column gives its open pairs' device nicknames to them", async () => {
    const path = join(folder, 'pairs.sqlite');
    const pair = samplePair();
    await (await SqliteRequestStore.open({ path })).close();
    const db = new Database(path);
    db.exec(
      // The file as the schema before the device nickname column left it (the outbox claims came after).
      `DROP INDEX requests_by_open_device_mail_nickname; ALTER TABLE requests DROP COLUMN open_device_mail_nickname;
       ALTER TABLE outbox DROP COLUMN claimed_by; ALTER TABLE outbox DROP COLUMN claimed_until; UPDATE schema_version SET version = ${SCHEMA_VERSION - 2}`,
    );
    db.prepare(
      `INSERT INTO requests (id, version, status, requester_aad_object_id, created_at, updated_at, open_mail_nickname, body) VALUES (?, 1, 'submitted', 'r', ?, ?, ?, ?)`,
    ).run(pair.id, pair.createdAt, pair.createdAt, pair.spec.mailNickname.toLowerCase(), JSON.stringify(pair));
    db.close();

    const store = await SqliteRequestStore.open({ path });
    try {
      expect((await store.findOpenByMailNickname(pair.spec.deviceGroup!.mailNickname))?.id).toBe(pair.id);
      const single = sampleRequest();
      await expect(
        store.insert({ ...single, spec: { ...single.spec, mailNickname: pair.spec.deviceGroup!.mailNickname } }),
      ).rejects.toMatchObject({
        heldBy: pair.id,
      });
    } finally {
      await store.close();
    }
  });

  test('a path that is not a SQLite file is refused with the path in the message', async () => {
    const path = join(folder, 'notes.txt');
    await writeFile(path, 'these are not the requests you are looking for'.repeat(100));
    await expect(SqliteRequestStore.open({ path })).rejects.toThrow(RequestStoreConfigurationError);
    await expect(SqliteRequestStore.open({ path })).rejects.toThrow(path);
  });

  test('several bot processes updating one request through the same file lose no write', async () => {
    const path = join(folder, 'shared.sqlite');
    const request = sampleRequest();
    const store = await SqliteRequestStore.open({ path });
    await store.insert(request);
    await store.close();

    const worker = join(__dirname, 'sqliteIncrementWorker.ts');
    const processes = ['p1', 'p2', 'p3'];
    const perProcess = 25;
    await Promise.all(
      processes.map((name) => run(process.execPath, ['--require', 'tsx/cjs', worker, path, request.id, String(perProcess), name])),
    );

    const reopened = await SqliteRequestStore.open({ path });
    const final = (await reopened.get(request.id))!;
    await reopened.close();
    expect(final.version).toBe(1 + processes.length * perProcess);
    const actions = final.audit.map((entry) => entry.action);
    for (const name of processes) {
      for (let index = 0; index < perProcess; index++) expect(actions).toContain(`${name}-${index}`);
    }
  });
});

describe('SqliteRequestStore holding 100,000 requests, half of them open', () => {
  let folder: string;
  let store: SqliteRequestStore;
  const stored: GroupRequest[] = [];

  beforeAll(async () => {
    folder = await temporaryFolder();
    store = await SqliteRequestStore.open({ path: join(folder, 'requests.sqlite') });
    const template = sampleRequest({ memberCount: 0 });
    for (let i = 0; i < 100_000; i++) {
      const id = `large-${String(i).padStart(6, '0')}`;
      stored.push({
        ...template,
        id,
        status: i % 2 === 0 ? 'submitted' : 'created',
        spec: { ...template.spec, mailNickname: `Large-${i}` },
      });
    }
    await store.insertMany(stored);
  }, 60_000);
  afterAll(async () => {
    await store.close();
    await rm(folder, { recursive: true, force: true });
  });

  test('refuses the nickname of every open request, wherever it sits, and names its holder', async () => {
    for (const i of [0, 2, 50_000, 99_998]) {
      const twin = { ...sampleRequest(), spec: { ...sampleRequest().spec, mailNickname: `LARGE-${i}` } };
      await expect(store.insert(twin)).rejects.toThrow(new MailNicknameHeldError(`LARGE-${i}`, stored[i].id));
      expect((await store.findOpenByMailNickname(`large-${i}`))?.id).toBe(stored[i].id);
    }
  });

  test('gives the nickname of a settled request to a new one', async () => {
    const request = { ...sampleRequest(), spec: { ...sampleRequest().spec, mailNickname: 'large-99999' } };
    expect(await store.findOpenByMailNickname('large-99999')).toBeUndefined();
    await store.insert(request);
    expect((await store.findOpenByMailNickname('LARGE-99999'))?.id).toBe(request.id);
  });

  test('lists the oldest open requests and a requester’s newest, at most the limit asked', async () => {
    const open = await store.listByStatus(['submitted'], 20);
    expect(open).toHaveLength(20);
    expect(open.every((request) => request.status === 'submitted')).toBe(true);
    expect(await store.listByRequester(stored[0].requester.aadObjectId, 5)).toHaveLength(5);
  });
});
