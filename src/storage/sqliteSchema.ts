import type { Database } from 'better-sqlite3';
import { RequestStoreConfigurationError } from './storeErrors';

/**
 * The SQLite schema as a list of migrations: entry N brings a file from version N to N + 1.
 * Append new steps; never edit a released one, files in the field already ran it.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE requests (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    status TEXT NOT NULL,
    requester_aad_object_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    body TEXT NOT NULL
  );
  CREATE INDEX requests_by_requester ON requests (requester_aad_object_id, created_at, id);
  CREATE INDEX requests_by_status ON requests (status, created_at, id);
  CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  // One open request per mail nickname, compared without case (nicknames are ASCII): the unique
  // index refuses the second of two racing submissions. Files from before keep their oldest holder.
  `
  ALTER TABLE requests ADD COLUMN open_mail_nickname TEXT;
  UPDATE requests SET open_mail_nickname = holders.nickname
  FROM (
    SELECT lower(json_extract(body, '$.spec.mailNickname')) AS nickname, min(rowid) AS holder
    FROM requests WHERE status IN ('submitted', 'approved', 'creating', 'failed') GROUP BY 1
  ) AS holders
  WHERE requests.rowid = holders.holder;
  CREATE UNIQUE INDEX requests_by_open_mail_nickname ON requests (open_mail_nickname);
  `,
  // The outbox: what people should hear of each change, written in the change's transaction.
  `
  CREATE TABLE outbox (
    request_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    change TEXT NOT NULL,
    delivered TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (request_id, version, idx)
  );
  `,
  `
  CREATE TABLE IF NOT EXISTS drafts (
    id TEXT PRIMARY KEY,
    saved_at TEXT NOT NULL,
    body TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS drafts_by_age ON drafts (saved_at);
  `,
  // Exports page through every request in creation order by keyset over this index.
  `
  CREATE INDEX IF NOT EXISTS requests_by_creation ON requests (created_at, id);
  `,
  // When a waiting request's next reminder, escalation or expiry falls due: sweeps read this
  // index only. Requests stored before approval policies have no route, so nothing falls due.
  `
  ALTER TABLE requests ADD COLUMN due_at TEXT;
  CREATE INDEX requests_by_due ON requests (due_at, id) WHERE due_at IS NOT NULL;
  `,
  // The Autopilot pair's device group holds its own nickname. Not a unique index: a nickname is
  // held once across both columns, which insert checks in its write transaction.
  `
  ALTER TABLE requests ADD COLUMN open_device_mail_nickname TEXT;
  UPDATE requests SET open_device_mail_nickname = lower(json_extract(body, '$.spec.deviceGroup.mailNickname'))
  WHERE status IN ('submitted', 'approved', 'creating', 'failed') AND json_extract(body, '$.spec.deviceGroup.mailNickname') IS NOT NULL;
  CREATE INDEX requests_by_open_device_mail_nickname ON requests (open_device_mail_nickname);
  `,
  // Which bot instance delivers a change, and until when (ms since the epoch): one at a time.
  `
  ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
  ALTER TABLE outbox ADD COLUMN claimed_until INTEGER;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the file to SCHEMA_VERSION; safe when several processes open the same file at once. */
export function migrate(db: Database, path: string): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  // IMMEDIATE takes the write lock first, so two processes never run the same step twice.
  db.transaction(() => {
    const row = db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined;
    const current = row?.version ?? 0;
    if (current > SCHEMA_VERSION) {
      throw new RequestStoreConfigurationError(
        `The request store ${path} has schema version ${current}, newer than the ${SCHEMA_VERSION} this bot knows; ` +
          'run the newer bot version or point the store at another file.',
      );
    }
    for (let version = current; version < SCHEMA_VERSION; version++) {
      db.exec(MIGRATIONS[version]);
    }
    if (row === undefined) {
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(SCHEMA_VERSION);
    } else if (current !== SCHEMA_VERSION) {
      db.prepare('UPDATE schema_version SET version = ?').run(SCHEMA_VERSION);
    }
  }).immediate();
}
