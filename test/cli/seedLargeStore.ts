import Database from 'better-sqlite3';
import { SqliteRequestStore } from '../../src/storage/sqliteRequestStore';
import { sampleRequest } from '../storage/sampleRequest';

/**
 * A SQLite store of `count` requests, written in one transaction straight into the bot's schema:
 * the same request under `count` ids and creation times, each with `members` members.
 */
export async function seedLargeStore(path: string, count: number, members: number): Promise<void> {
  await (await SqliteRequestStore.open({ path })).close();
  const template = sampleRequest({ memberCount: members, createdAt: '2026-01-01T00:00:00.000Z' });
  const db = new Database(path);
  try {
    const insert = db.prepare(
      `INSERT INTO requests (id, version, status, requester_aad_object_id, created_at, updated_at, open_mail_nickname, body)
       VALUES (?, 1, 'created', ?, ?, ?, NULL, ?)`,
    );
    db.transaction(() => {
      const start = Date.parse(template.createdAt);
      for (let index = 0; index < count; index++) {
        const id = `R${String(index).padStart(9, '0')}`;
        const createdAt = new Date(start + index * 1000).toISOString();
        const request = { ...template, id, status: 'created', createdAt, updatedAt: createdAt };
        insert.run(id, template.requester.aadObjectId, createdAt, createdAt, JSON.stringify(request));
      }
    })();
  } finally {
    db.close();
  }
}
