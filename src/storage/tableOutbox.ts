import { odata, type TableClient, type TableEntityResult } from '@azure/data-tables';
import type { PendingChange, RequestChange } from '../requests/requestChange';
import { absentWhenNotFound, ignoreGoneOrChanged, statusOf } from './tableConnection';
import { OUTBOX_PARTITION, REQUEST_ROW, keyOf, outboxRow } from './tableIndexKeys';

/**
 * The outbox of the Azure Tables store: which writes stored changes still to deliver. A request's
 * changes are rows of its own partition in the requests table (so one entity group transaction
 * writes the request and its changes together); an outbox entry, in a table of its own, points
 * at them. Every read here is a read of the outbox partition or a read by key, so its cost
 * follows what is pending, never how many requests are stored.
 */

const CHANGE_ROWS = { from: 'change-', to: 'change.' };
/** An outbox entry found empty is removed only once it is this old: its writer's batch has come or failed. */
const UNFINISHED_OUTBOX_ENTRY_MS = 60_000;
/** Outbox entries read per page. */
const OUTBOX_PAGE = 100;

/** Row keys sort as text: versions and indexes are padded so they sort as numbers too. */
export function changeRowKey(version: number, index: number): string {
  return `${CHANGE_ROWS.from}${String(version).padStart(10, '0')}-${String(index).padStart(4, '0')}`;
}

/** An outbox entry; one written before entries carried version and count has neither. */
type OutboxEntry = TableEntityResult<{ requestId: string; version?: number; count?: number }>;
type ChangeRow = TableEntityResult<Record<string, unknown>>;

export class TableOutbox {
  constructor(
    private readonly requests: TableClient,
    private readonly outbox: TableClient,
  ) {}

  /**
   * Moves the entries of the outbox partition of the requests table, where stores before the
   * outbox table kept them, into the outbox table; each is copied before it is removed, so a stop
   * in between leaves it in both, and the next start moves it again.
   */
  async moveEntriesFromRequestsTable(): Promise<void> {
    const filter = odata`PartitionKey eq ${OUTBOX_PARTITION}`;
    for await (const entry of this.requests.listEntities<{ requestId: string }>({ queryOptions: { filter } })) {
      await this.outbox.upsertEntity({ partitionKey: OUTBOX_PARTITION, rowKey: entry.rowKey!, requestId: entry.requestId }, 'Replace');
      await this.requests.deleteEntity(OUTBOX_PARTITION, entry.rowKey!, { etag: entry.etag }).catch(ignoreGoneOrChanged);
    }
  }

  /**
   * Says that the write of `version` stores `count` changes of the request; written before them.
   * Two writers of one version (of which at most one will succeed) leave the larger count, and
   * each leaves the entry freshly written, so it is not taken for an old empty one meanwhile.
   */
  async announce(requestId: string, version: number, count: number): Promise<void> {
    const rowKey = outboxRow(requestId, version);
    const entry = { partitionKey: OUTBOX_PARTITION, rowKey, requestId, version, count };
    for (;;) {
      try {
        await this.outbox.createEntity(entry);
        return;
      } catch (error) {
        if (statusOf(error) !== 409) throw error;
      }
      const held = await this.outbox.getEntity<{ count?: number }>(OUTBOX_PARTITION, rowKey).catch(absentWhenNotFound);
      if (held === undefined) continue;
      try {
        await this.outbox.updateEntity({ ...entry, count: Math.max(count, Number(held.count ?? 0)) }, 'Replace', { etag: held.etag });
        return;
      } catch (error) {
        ignoreGoneOrChanged(error);
      }
    }
  }

  /**
   * The pending changes, each request's in the order written, at most `limit`; those of the
   * requests in `except` (delivered already by the caller) are not read at all.
   */
  async pendingChanges(limit: number, except: ReadonlySet<string> = new Set()): Promise<PendingChange[]> {
    const pending: PendingChange[] = [];
    if (limit === 0) return pending;
    const pages = this.outbox
      .listEntities<{ requestId: string; version?: number; count?: number }>({
        queryOptions: { filter: odata`PartitionKey eq ${OUTBOX_PARTITION}` },
      })
      .byPage({ maxPageSize: OUTBOX_PAGE });
    for await (const page of pages) {
      const changes = await Promise.all(page.filter((entry) => !except.has(entry.requestId)).map((entry) => this.changesOf(entry)));
      for (const list of changes) pending.push(...list);
      if (pending.length >= limit) break;
    }
    return pending.slice(0, limit);
  }

  /** The changes an entry points at that are still there; the entry goes once none is left. */
  private async changesOf(entry: OutboxEntry): Promise<PendingChange[]> {
    const readRows = () => (entry.version === undefined ? this.allChangeRows(entry.requestId) : this.changeRowsOf(entry));
    let rows = await readRows();
    let finished = rows.length === 0 && this.isOld(entry);
    if (rows.length === 0 && !finished && (await this.wasWritten(entry))) {
      // Its batch may have landed between the read of its rows and the read of the request: read
      // them again, now that the request is seen stored, or its changes would be left undelivered.
      rows = await readRows();
      finished = rows.length === 0;
    }
    if (finished) {
      // Conditional: a writer that wrote the entry again since has changes on their way.
      await this.outbox.deleteEntity(OUTBOX_PARTITION, entry.rowKey!, { etag: entry.etag }).catch(ignoreGoneOrChanged);
    }
    return rows.map((row) => ({
      requestId: entry.requestId,
      version: Number(row.version),
      index: Number(row.index),
      change: JSON.parse(String(row.change)) as RequestChange,
      delivered: JSON.parse(String(row.delivered)) as string[],
    }));
  }

  /** A writer writes the entry just before its batch: a young entry's changes may be on their way. */
  private isOld(entry: OutboxEntry): boolean {
    return entry.timestamp !== undefined && Date.now() - Date.parse(entry.timestamp) > UNFINISHED_OUTBOX_ENTRY_MS;
  }

  /**
   * Whether the request is stored at the entry's version or later: the batch of that version then
   * came (a request and its changes are one batch), and no change of it can come any more, so an
   * entry found empty is done with. Left for every later read instead, it would cost one read per
   * change it announced at every pass, for a minute, and a burst of clicks as many passes.
   */
  private async wasWritten(entry: OutboxEntry): Promise<boolean> {
    if (entry.version === undefined) return false;
    const stored = await this.requests
      .getEntity<{ version: number }>(keyOf(entry.requestId), REQUEST_ROW, {
        queryOptions: { select: ['version'] },
      })
      .catch(absentWhenNotFound);
    return stored !== undefined && Number(stored.version) >= entry.version;
  }

  /** The rows of one write, read by key: those already finished are gone. */
  private async changeRowsOf(entry: OutboxEntry): Promise<ChangeRow[]> {
    const version = Number(entry.version);
    const rows = await Promise.all(
      Array.from({ length: Number(entry.count ?? 0) }, (_, index) =>
        this.requests.getEntity<Record<string, unknown>>(keyOf(entry.requestId), changeRowKey(version, index)).catch(absentWhenNotFound),
      ),
    );
    return rows.filter((row): row is ChangeRow => row !== undefined);
  }

  /** Every change row of the request, for an entry that does not say which write it announced. */
  private async allChangeRows(requestId: string): Promise<ChangeRow[]> {
    const filter = odata`PartitionKey eq ${keyOf(requestId)} and RowKey ge ${CHANGE_ROWS.from} and RowKey lt ${CHANGE_ROWS.to}`;
    const rows: ChangeRow[] = [];
    for await (const row of this.requests.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) rows.push(row);
    return rows;
  }
}
