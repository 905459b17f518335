import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { CardLocations, GroupRequest, RequestStatus } from '../requests/groupRequest';
import type { PendingChange, RequestChange } from '../requests/requestChange';
import {
  MailNicknameHeldError,
  RequestAlreadyExistsError,
  RequestNotFoundError,
  VersionConflictError,
  holdsMailNickname,
  mailNicknamesOf,
  type RequestCursor,
  type RequestPage,
  type RequestPageQuery,
  withStoredCards,
  type RequestStore,
} from '../requests/requestStore';
import type { FormDraft } from '../requests/formDrafts';
import {
  checkDraft,
  checkId,
  checkInsert,
  checkLimit,
  checkPageQuery,
  checkReplace,
  checkSetting,
  checkSettingName,
} from './requestStoreChecks';
import { nextDueAt } from '../requests/waitingClock';
import { migrate } from './sqliteSchema';
import { RequestStoreConfigurationError } from './storeErrors';

/** How long a write waits for another process's lock before failing (several bots, one file). */
const BUSY_TIMEOUT_MS = 10_000;

interface RequestRow {
  body: string;
}

interface OutboxRow {
  request_id: string;
  version: number;
  idx: number;
  change: string;
  delivered: string;
}

export interface SqliteRequestStoreOptions {
  /** The database file; missing folders and the file itself are created. */
  path: string;
}

/**
 * The embedded store: one SQLite file in WAL mode, shared safely by several bot processes.
 * Requests are kept as JSON next to the columns the listings sort and filter on.
 */
export class SqliteRequestStore implements RequestStore {
  private readonly statements;
  /** Built once: better-sqlite3 wraps a transaction's function anew at every `db.transaction()`. */
  private readonly transactions;

  private constructor(private readonly db: Database.Database) {
    this.statements = {
      insert: db.prepare(
        `INSERT INTO requests (id, version, status, requester_aad_object_id, created_at, updated_at, open_mail_nickname, open_device_mail_nickname, due_at, body)
         VALUES (@id, @version, @status, @requester, @createdAt, @updatedAt, @openMailNickname, @openDeviceMailNickname, @dueAt, @body)`,
      ),
      get: db.prepare('SELECT body FROM requests WHERE id = ?'),
      byOpenMailNickname: db.prepare(
        'SELECT id, body FROM requests WHERE open_mail_nickname = @nickname OR open_device_mail_nickname = @nickname',
      ),
      exists: db.prepare('SELECT 1 FROM requests WHERE id = ?'),
      replace: db.prepare(
        `UPDATE requests
         SET version = @version, status = @status, requester_aad_object_id = @requester,
             created_at = @createdAt, updated_at = @updatedAt, open_mail_nickname = @openMailNickname,
             open_device_mail_nickname = @openDeviceMailNickname, due_at = @dueAt, body = @body
         WHERE id = @id AND version = @previousVersion`,
      ),
      byRequester: db.prepare(
        `SELECT body FROM requests WHERE requester_aad_object_id = ?
         ORDER BY created_at DESC, id DESC LIMIT ?`,
      ),
      byStatus: db.prepare('SELECT id, created_at, body FROM requests WHERE status = ? ORDER BY created_at, id LIMIT ?'),
      // One row-value bound, so the index range starts right at it (two bounds would scan from the first).
      page: db.prepare('SELECT body FROM requests WHERE (created_at, id) > (@createdAt, @id) ORDER BY created_at, id LIMIT @limit'),
      due: db.prepare('SELECT body FROM requests WHERE due_at <= ? ORDER BY due_at, id LIMIT ?'),
      addChange: db.prepare('INSERT INTO outbox (request_id, version, idx, change) VALUES (?, ?, ?, ?)'),
      // Insertion order: a request's changes are written with increasing versions. The requests
      // left out come as a JSON array: their changes are skipped in the scan, never parsed.
      pending: db.prepare(
        `SELECT request_id, version, idx, change, delivered FROM outbox
         WHERE request_id NOT IN (SELECT value FROM json_each(?)) ORDER BY rowid LIMIT ?`,
      ),
      delivered: db.prepare('UPDATE outbox SET delivered = ? WHERE request_id = ? AND version = ? AND idx = ?'),
      setBody: db.prepare('UPDATE requests SET body = ? WHERE id = ?'),
      claim: db.prepare(
        `UPDATE outbox SET claimed_by = @owner, claimed_until = @until
         WHERE request_id = @requestId AND version = @version AND idx = @index
           AND (claimed_by IS NULL OR claimed_by = @owner OR claimed_until <= @now)`,
      ),
      finish: db.prepare('DELETE FROM outbox WHERE request_id = ? AND version = ? AND idx = ?'),
      saveDraft: db.prepare('INSERT INTO drafts (id, saved_at, body) VALUES (?, ?, ?)'),
      getDraft: db.prepare('SELECT body FROM drafts WHERE id = ?'),
      deleteDrafts: db.prepare('DELETE FROM drafts WHERE saved_at < ?'),
      getSetting: db.prepare('SELECT value FROM settings WHERE name = ?'),
      setSetting: db.prepare('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value'),
    };
    this.transactions = {
      replace: db.transaction((previous: GroupRequest, next: GroupRequest, changes: readonly RequestChange[]): boolean => {
        const stored = this.statements.get.get(next.id) as RequestRow | undefined;
        const kept = stored ? withStoredCards(parse(stored).cards, next) : next;
        if (this.statements.replace.run({ ...rowOf(kept), previousVersion: previous.version }).changes !== 1) return false;
        this.addChanges(next, changes);
        return true;
      }),
      recordDelivered: db.transaction((change: PendingChange, cards?: CardLocations) => {
        this.statements.delivered.run(JSON.stringify(change.delivered), change.requestId, change.version, change.index);
        if (!cards) return;
        const stored = this.statements.get.get(change.requestId) as RequestRow | undefined;
        if (!stored) return;
        const request = parse(stored);
        this.statements.setBody.run(JSON.stringify({ ...request, cards: { ...request.cards, ...cards } }), change.requestId);
      }),
    };
  }

  /** Opens (creating folders, file and tables as needed) the store at `path`; fails with RequestStoreConfigurationError. */
  static async open(options: SqliteRequestStoreOptions): Promise<SqliteRequestStore> {
    const fullPath = resolve(options.path);
    let db: Database.Database | undefined;
    try {
      mkdirSync(dirname(fullPath), { recursive: true });
      db = new Database(fullPath, { timeout: BUSY_TIMEOUT_MS });
      db.pragma('journal_mode = WAL');
      // NORMAL is durable in WAL mode except for the very last commits on power loss, and much faster.
      db.pragma('synchronous = NORMAL');
      migrate(db, fullPath);
      return new SqliteRequestStore(db);
    } catch (error) {
      db?.close();
      if (error instanceof RequestStoreConfigurationError) throw error;
      throw new RequestStoreConfigurationError(
        `Cannot open the request store at ${fullPath}: ${(error as Error).message}. ` +
          'Check that the path is a writable SQLite file (or a new file in a writable folder).',
      );
    }
  }

  async insert(request: GroupRequest, changes: readonly RequestChange[] = []): Promise<void> {
    checkInsert(request);
    try {
      // IMMEDIATE takes the write lock first: no other process stores a nickname between the check and the insert.
      this.db
        .transaction(() => {
          if (holdsMailNickname(request.status))
            mailNicknamesOf(request).forEach((nickname) => this.checkNicknameFree(request.id, nickname));
          this.statements.insert.run(rowOf(request));
          this.addChanges(request, changes);
        })
        .immediate();
    } catch (error) {
      // By code, not class: the native addon keeps the SqliteError class of the first module
      // instance that loaded it, so `instanceof` fails when the module is loaded twice (jest does).
      const code = (error as { code?: unknown }).code;
      if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new RequestAlreadyExistsError(request.id);
      if (code === 'SQLITE_CONSTRAINT_UNIQUE') throw this.nicknameHeld(request.id, request.spec.mailNickname);
      throw error;
    }
  }

  /**
   * Stores many requests in one transaction, each checked as `insert` checks it; all or none.
   * For loading a large store at once (benchmarks, tests): one commit instead of one per request.
   */
  async insertMany(requests: readonly GroupRequest[]): Promise<void> {
    requests.forEach(checkInsert);
    this.db.transaction(() => requests.forEach((request) => this.statements.insert.run(rowOf(request))))();
  }

  /** Refuses a nickname another open request holds as either of its nicknames; the request's own is a repeat of it. */
  private checkNicknameFree(id: string, mailNickname: string): void {
    const holder = this.statements.byOpenMailNickname.get({ nickname: mailNickname.toLowerCase() }) as { id: string } | undefined;
    if (holder !== undefined && holder.id !== id) throw new MailNicknameHeldError(mailNickname, holder.id);
  }

  /** The unique index refused a nickname: name its holder (the request itself, when sent twice). */
  private nicknameHeld(id: string, mailNickname: string): Error {
    const holder = this.statements.byOpenMailNickname.get({ nickname: mailNickname.toLowerCase() }) as { id: string } | undefined;
    if (holder === undefined || holder.id === id) return new RequestAlreadyExistsError(id);
    return new MailNicknameHeldError(mailNickname, holder.id);
  }

  async findOpenByMailNickname(mailNickname: string): Promise<GroupRequest | undefined> {
    const row = this.statements.byOpenMailNickname.get({ nickname: mailNickname.toLowerCase() }) as RequestRow | undefined;
    return row === undefined ? undefined : parse(row);
  }

  async get(id: string): Promise<GroupRequest | undefined> {
    checkId(id);
    const row = this.statements.get.get(id) as RequestRow | undefined;
    return row === undefined ? undefined : parse(row);
  }

  async replace(previous: GroupRequest, next: GroupRequest, changes: readonly RequestChange[] = []): Promise<void> {
    checkReplace(previous, next);
    let written: boolean;
    try {
      // IMMEDIATE: the stored card locations read here cannot change before the write.
      written = this.transactions.replace.immediate(previous, next, changes);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw this.nicknameHeld(next.id, next.spec.mailNickname);
      throw error;
    }
    if (written) return;
    if (this.statements.exists.get(next.id) === undefined) throw new RequestNotFoundError(next.id);
    throw new VersionConflictError(next.id, previous.version);
  }

  private addChanges(request: GroupRequest, changes: readonly RequestChange[]): void {
    changes.forEach((change, index) => this.statements.addChange.run(request.id, request.version, index, JSON.stringify(change)));
  }

  async pendingChanges(limit: number, except: ReadonlySet<string> = new Set()): Promise<PendingChange[]> {
    checkLimit(limit);
    return (this.statements.pending.all(JSON.stringify([...except]), limit) as OutboxRow[]).map((row) => ({
      requestId: row.request_id,
      version: row.version,
      index: row.idx,
      change: JSON.parse(row.change) as RequestChange,
      delivered: JSON.parse(row.delivered) as string[],
    }));
  }

  async recordDelivered(change: PendingChange, cards?: CardLocations): Promise<void> {
    this.transactions.recordDelivered.immediate(change, cards);
  }

  async claimChange(change: PendingChange, owner: string, leaseMs: number): Promise<boolean> {
    const now = Date.now();
    const claimed = this.statements.claim.run({ ...keyOfChange(change), owner, until: now + leaseMs, now });
    return claimed.changes === 1;
  }

  async finishChange(change: PendingChange): Promise<void> {
    this.statements.finish.run(change.requestId, change.version, change.index);
  }

  async listByRequester(aadObjectId: string, limit: number): Promise<GroupRequest[]> {
    checkLimit(limit);
    return (this.statements.byRequester.all(aadObjectId, limit) as RequestRow[]).map(parse);
  }

  async listByStatus(statuses: readonly RequestStatus[], limit: number): Promise<GroupRequest[]> {
    checkLimit(limit);
    if (statuses.length === 0 || limit === 0) return [];
    // One ordered index range per status, each cut at the limit, then merged: never a scan of all.
    const rows = [...new Set(statuses)].flatMap(
      (status) => this.statements.byStatus.all(status, limit) as (RequestRow & { created_at: string; id: string })[],
    );
    rows.sort((a, b) => (a.created_at === b.created_at ? (a.id < b.id ? -1 : 1) : a.created_at < b.created_at ? -1 : 1));
    return rows.slice(0, limit).map(parse);
  }

  async listAll(query: RequestPageQuery): Promise<RequestPage> {
    checkPageQuery(query);
    const rows = this.statements.page.all({ ...pageStart(query), limit: query.limit }) as RequestRow[];
    const requests = rows.map(parse);
    const last = requests.at(-1);
    return rows.length < query.limit || last === undefined ? { requests } : { requests, next: { createdAt: last.createdAt, id: last.id } };
  }

  async listDue(now: string, limit: number): Promise<GroupRequest[]> {
    checkLimit(limit);
    return (this.statements.due.all(now, limit) as RequestRow[]).map(parse);
  }

  async saveDraft(draft: FormDraft): Promise<void> {
    checkDraft(draft);
    this.statements.saveDraft.run(draft.id, draft.savedAt, JSON.stringify(draft));
  }

  async getDraft(id: string): Promise<FormDraft | undefined> {
    checkId(id);
    const row = this.statements.getDraft.get(id) as RequestRow | undefined;
    return row === undefined ? undefined : (JSON.parse(row.body) as FormDraft);
  }

  async deleteDraftsSavedBefore(savedAt: string): Promise<number> {
    return this.statements.deleteDrafts.run(savedAt).changes;
  }

  async getSetting(name: string): Promise<string | undefined> {
    checkSettingName(name);
    const row = this.statements.getSetting.get(name) as { value: string } | undefined;
    return row?.value;
  }

  async setSetting(name: string, value: string): Promise<void> {
    checkSetting(name, value);
    this.statements.setSetting.run(name, value);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function rowOf(request: GroupRequest) {
  return {
    id: request.id,
    version: request.version,
    status: request.status,
    requester: request.requester.aadObjectId,
    createdAt: request.createdAt,
    updatedAt: request.updatedAt,
    openMailNickname: holdsMailNickname(request.status) ? request.spec.mailNickname.toLowerCase() : null,
    openDeviceMailNickname: holdsMailNickname(request.status) ? (request.spec.deviceGroup?.mailNickname.toLowerCase() ?? null) : null,
    dueAt: nextDueAt(request) ?? null,
    body: JSON.stringify(request),
  };
}

/**
 * Where a page starts, as one (created_at, id) bound: ids are never empty, so "after (from, '')"
 * is "created at or after from".
 */
function pageStart(query: RequestPageQuery): RequestCursor {
  const from = { createdAt: query.createdFrom ?? '', id: '' };
  const after = query.after;
  if (after === undefined) return from;
  return after.createdAt > from.createdAt || (after.createdAt === from.createdAt && after.id > from.id) ? after : from;
}

function keyOfChange(change: PendingChange) {
  return { requestId: change.requestId, version: change.version, index: change.index };
}

function parse(row: RequestRow): GroupRequest {
  return JSON.parse(row.body) as GroupRequest;
}
