import { odata, RestError, type TableClient, type TableEntityResult, type TransactionAction } from '@azure/data-tables';
import type { FormDraft } from '../requests/formDrafts';
import type { CardLocations, GroupRequest, RequestStatus } from '../requests/groupRequest';
import type { PendingChange, RequestChange } from '../requests/requestChange';
import {
  MailNicknameHeldError,
  RequestAlreadyExistsError,
  RequestNotFoundError,
  VersionConflictError,
  holdsMailNickname,
  holdsNickname,
  mailNicknamesOf,
  type RequestPage,
  type RequestPageQuery,
  withStoredCards,
  type RequestStore,
} from '../requests/requestStore';
import { nextDueAt } from '../requests/waitingClock';
import { EtagMemo, type SeenEntity } from './etagMemo';
import {
  DUE_PARTITION,
  NICKNAME_ROW,
  REQUEST_ROW,
  dueRow,
  dueRowsUntil,
  keyOf,
  nicknamePartition,
  requesterPartition,
  requesterRow,
  statusPartition,
  statusRow,
} from './tableIndexKeys';
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
import { pageOfAllRequests } from './tableRequestPages';
import { TableOutbox, changeRowKey } from './tableOutbox';
import { moveSharedNicknameReservations } from './tableNicknameMove';
import { ignoreGoneOrChanged, statusOf, tableClient } from './tableConnection';
import { packBody, packRequestBody, unpackBody, unpackRequestBody } from './tableRequestBody';
import { RequestStoreConfigurationError } from './storeErrors';

export interface TableRequestStoreOptions {
  connectionString: string;
  requestsTable: string;
  settingsTable: string;
  draftsTable: string;
  outboxTable: string;
}

const SETTINGS_PARTITION = 'setting';
/** Drafts share one partition, so the expired ones are found by one query. */
const DRAFTS_PARTITION = 'draft';

/** An index entity: which request, and the creation time its key was made from. */
interface IndexRow {
  requestId: string;
  createdAt: string;
}

/**
 * A reservation whose request never appeared is taken over after this long: the submission that
 * made it stopped between its two writes. Before that, the request may still be on its way.
 */
const UNFINISHED_RESERVATION_MS = 60_000;
/** Index entities read per page while a listing fills its limit. */
const INDEX_PAGE = 100;
/** Azure takes at most 100 entities of one partition in one entity group transaction. */
const TRANSACTION_SIZE = 100;
/** Writes in flight at once while many requests are stored. */
const BULK_WRITERS = 32;

type Entity = TableEntityResult<Record<string, unknown>>;

/**
 * Requests in Azure Table Storage, shared by several bot instances. Every replace is one write
 * conditional on the entity's ETag; the request itself is gzipped JSON spread over binary properties.
 *
 * Index entities make every read keyed: one per open mail nickname (a reservation, created before
 * the request, so of two racing submissions exactly one gets it), one per request and status, one
 * per request and requester. An index entity is written before the request it points to and
 * removed after, so it may point to a request that is not (or no longer) there: readers check
 * every entry against the request itself and skip the ones that no longer match.
 *
 * Why not one transaction: an entity group transaction holds one partition, and the reservation
 * must be found by nickname while the request is found by id, so they live in different
 * partitions. What a crash between the writes leaves, and how it heals:
 * - after the reservation, before the request: the nickname stays held by a request that never
 *   came for UNFINISHED_RESERVATION_MS (the submitter got an error and may send again, which finds
 *   its own reservation); after that the next submission for it takes the reservation over;
 * - after a settling write (created, rejected, cancelled, abandoned), before the release: the
 *   reservation names a request that no longer holds it, so `findOpenByMailNickname` answers
 *   none and the next submission for it takes it over at once;
 * - status and requester index entities left behind are skipped by every listing.
 * So the check never lets two open requests share a nickname and never holds one for a settled
 * request; no sweep has to repair anything. The cost does not grow with the store: each check
 * reads one reservation and the one request it names.
 */
export class TableRequestStore implements RequestStore {
  private readonly etags = new EtagMemo();
  private readonly outbox: TableOutbox;

  private constructor(
    private readonly requests: TableClient,
    private readonly settings: TableClient,
    private readonly drafts: TableClient,
    outbox: TableClient,
  ) {
    this.outbox = new TableOutbox(requests, outbox);
  }

  /** Connects, creating the tables if they do not exist yet; fails with RequestStoreConfigurationError. */
  static async open(options: TableRequestStoreOptions): Promise<TableRequestStore> {
    const requests = tableClient(options.connectionString, options.requestsTable);
    const settings = tableClient(options.connectionString, options.settingsTable);
    const drafts = tableClient(options.connectionString, options.draftsTable);
    const outbox = tableClient(options.connectionString, options.outboxTable);
    try {
      await Promise.all([requests.createTable(), settings.createTable(), drafts.createTable(), outbox.createTable()]);
    } catch (error) {
      throw new RequestStoreConfigurationError(
        `Cannot open the request store in the tables ${options.requestsTable}, ${options.settingsTable}, ${options.draftsTable} and ${options.outboxTable}: ` +
          `${(error as Error).message}. Check that the storage account is reachable and the connection string's key may create tables.`,
      );
    }
    const store = new TableRequestStore(requests, settings, drafts, outbox);
    await Promise.all([store.outbox.moveEntriesFromRequestsTable(), moveSharedNicknameReservations(requests)]);
    return store;
  }

  async insert(request: GroupRequest, changes: readonly RequestChange[] = []): Promise<void> {
    checkInsert(request);
    await Promise.all([
      holdsMailNickname(request.status) ? this.reserveNicknames(request) : undefined,
      this.writeIndex(statusPartition(request.status), statusRow(request), request),
      this.writeIndex(requesterPartition(request.requester.aadObjectId), requesterRow(request), request),
      this.writeDue(request),
    ]);
    try {
      const etag = await this.write(await entityOf(request), undefined, request, changes);
      this.etags.remember(request.id, request.version, etag, request.cards);
    } catch (error) {
      if (statusOf(error) === 409) throw new RequestAlreadyExistsError(request.id);
      throw error;
    }
  }

  /**
   * Stores many new requests at once, for loading a large store (benchmarks, tests): their index
   * entities in entity group transactions of 100 per partition, then the requests, 32 writes at a
   * time. Unlike `insert` it takes no reservation over: the ids must be new and the open nicknames free.
   */
  async insertMany(requests: readonly GroupRequest[]): Promise<void> {
    requests.forEach(checkInsert);
    const byPartition = new Map<string, TransactionAction[]>();
    const index = (partitionKey: string, rowKey: string, fields: Record<string, string>) => {
      const actions = byPartition.get(partitionKey) ?? [];
      actions.push(['create', { partitionKey, rowKey, ...fields }]);
      byPartition.set(partitionKey, actions);
    };
    for (const request of requests) {
      const entry = { requestId: request.id, createdAt: request.createdAt };
      if (holdsMailNickname(request.status)) {
        for (const nickname of mailNicknamesOf(request)) index(nicknamePartition(nickname), NICKNAME_ROW, entry);
      }
      index(statusPartition(request.status), statusRow(request), entry);
      index(requesterPartition(request.requester.aadObjectId), requesterRow(request), entry);
      const dueAt = nextDueAt(request);
      if (dueAt !== undefined) index(DUE_PARTITION, dueRow(dueAt, request.id), { requestId: request.id, dueAt });
    }
    const writes = [
      ...[...byPartition.values()].flatMap((actions) =>
        Array.from({ length: Math.ceil(actions.length / TRANSACTION_SIZE) }, (_, i) => async () => {
          await this.requests.submitTransaction(actions.slice(i * TRANSACTION_SIZE, (i + 1) * TRANSACTION_SIZE));
        }),
      ),
      ...requests.map((request) => async () => {
        await this.requests.createEntity(await entityOf(request));
      }),
    ];
    let next = 0;
    const worker = async () => {
      while (next < writes.length) await writes[next++]();
    };
    await Promise.all(Array.from({ length: BULK_WRITERS }, worker));
  }

  /**
   * The request's own write (a create, or a replace conditional on `etag`) and its changes, as one
   * entity group transaction; returns the request's new ETag.
   */
  private async write(
    entity: RequestEntity,
    etag: string | undefined,
    request: GroupRequest,
    changes: readonly RequestChange[],
  ): Promise<string | undefined> {
    if (changes.length === 0) {
      const response =
        etag === undefined ? await this.requests.createEntity(entity) : await this.requests.updateEntity(entity, 'Replace', { etag });
      return response.etag;
    }
    await this.outbox.announce(request.id, request.version, changes.length);
    const own: TransactionAction = etag === undefined ? ['create', entity] : ['update', entity, 'Replace', { etag }];
    const changeRows: TransactionAction[] = changes.map((change, index) => [
      'create',
      {
        partitionKey: keyOf(request.id),
        rowKey: changeRowKey(request.version, index),
        requestId: request.id,
        version: request.version,
        index,
        change: JSON.stringify(change),
        delivered: '[]',
      },
    ]);
    const response = await this.requests.submitTransaction([own, ...changeRows]);
    return response.subResponses[0]?.etag;
  }

  async get(id: string): Promise<GroupRequest | undefined> {
    checkId(id);
    const entity = await this.readEntity(this.requests, keyOf(id), REQUEST_ROW);
    if (entity === undefined) return undefined;
    const request = await unpackRequestBody(entity);
    this.etags.remember(id, request.version, entity.etag, request.cards);
    return request;
  }

  async findOpenByMailNickname(mailNickname: string): Promise<GroupRequest | undefined> {
    const reservation = await this.readEntity(this.requests, nicknamePartition(mailNickname), NICKNAME_ROW);
    if (reservation === undefined) return undefined;
    const holder = await this.get(String(reservation.requestId));
    return holder && holdsNickname(holder, mailNickname) ? holder : undefined;
  }

  async replace(previous: GroupRequest, next: GroupRequest, changes: readonly RequestChange[] = []): Promise<void> {
    checkReplace(previous, next);
    const moved = previous.status !== next.status;
    const [dueBefore, dueAfter] = [nextDueAt(previous), nextDueAt(next)];
    await Promise.all([
      moved ? this.writeIndex(statusPartition(next.status), statusRow(next), next) : undefined,
      dueAfter !== dueBefore ? this.writeDue(next) : undefined,
    ]);
    let seen = this.etags.recall(previous.id, previous.version) ?? (await this.currentEntity(previous));
    for (;;) {
      const kept = withStoredCards(seen.cards, next);
      try {
        const written = await this.write(await entityOf(kept), seen.etag, kept, changes);
        this.etags.remember(next.id, next.version, written, kept.cards);
        break;
      } catch (error) {
        if (statusOf(error) === 404) throw new RequestNotFoundError(previous.id);
        if (statusOf(error) !== 412) throw error;
      }
      // Changed since seen: a conflict, unless only a card's location was recorded (same version).
      seen = await this.currentEntity(previous);
    }
    await Promise.all([
      moved ? this.deleteIfThere(statusPartition(previous.status), statusRow(previous)) : undefined,
      ...(moved && holdsMailNickname(previous.status) && !holdsMailNickname(next.status)
        ? mailNicknamesOf(next).map((nickname) => this.releaseNickname(next, nickname))
        : []),
      dueBefore !== undefined && dueBefore !== dueAfter ? this.deleteIfThere(DUE_PARTITION, dueRow(dueBefore, previous.id)) : undefined,
    ]);
  }

  /** The due index entity of a request with a step to come, written before the request itself. */
  private async writeDue(request: GroupRequest): Promise<void> {
    const dueAt = nextDueAt(request);
    if (dueAt === undefined) return;
    await this.requests.upsertEntity(
      { partitionKey: DUE_PARTITION, rowKey: dueRow(dueAt, request.id), requestId: request.id, dueAt },
      'Replace',
    );
  }

  /**
   * Takes every nickname of the request, one after the other, or says which open request holds
   * one; those taken before a refusal are given back, so the request asked again can have them.
   */
  private async reserveNicknames(request: GroupRequest): Promise<void> {
    const taken: string[] = [];
    try {
      for (const nickname of mailNicknamesOf(request)) {
        await this.reserveNickname(request, nickname);
        taken.push(nickname);
      }
    } catch (error) {
      await Promise.all(taken.map((nickname) => this.releaseNickname(request, nickname)));
      throw error;
    }
  }

  /** Takes one nickname for the request, or says which open request holds it. */
  private async reserveNickname(request: GroupRequest, mailNickname: string): Promise<void> {
    const partitionKey = nicknamePartition(mailNickname);
    const reservation = { partitionKey, rowKey: NICKNAME_ROW, requestId: request.id, createdAt: request.createdAt };
    for (;;) {
      try {
        await this.requests.createEntity(reservation);
        return;
      } catch (error) {
        if (statusOf(error) !== 409) throw error;
      }
      const held = await this.readEntity(this.requests, partitionKey, NICKNAME_ROW);
      if (held === undefined) continue;
      const holderId = String(held.requestId);
      if (holderId === request.id) return;
      const holder = await this.get(holderId);
      const unfinished = holder === undefined && Date.now() - Date.parse(String(held.timestamp)) < UNFINISHED_RESERVATION_MS;
      if (unfinished || (holder && holdsNickname(holder, mailNickname))) {
        throw new MailNicknameHeldError(mailNickname, holderId);
      }
      // The holder settled (or never came) without releasing it: take it over, unless someone else just did.
      try {
        await this.requests.updateEntity(reservation, 'Replace', { etag: held.etag });
        return;
      } catch (error) {
        ignoreGoneOrChanged(error);
      }
    }
  }

  /** Frees a nickname of a request that settled, unless another request holds it by now. */
  private async releaseNickname(request: GroupRequest, mailNickname: string): Promise<void> {
    const partitionKey = nicknamePartition(mailNickname);
    const held = await this.readEntity(this.requests, partitionKey, NICKNAME_ROW);
    if (held === undefined || held.requestId !== request.id) return;
    await this.requests.deleteEntity(partitionKey, NICKNAME_ROW, { etag: held.etag }).catch(ignoreGoneOrChanged);
  }

  private async writeIndex(partitionKey: string, rowKey: string, request: GroupRequest): Promise<void> {
    await this.requests.upsertEntity({ partitionKey, rowKey, requestId: request.id, createdAt: request.createdAt }, 'Replace');
  }

  private async deleteIfThere(partitionKey: string, rowKey: string): Promise<void> {
    try {
      await this.requests.deleteEntity(partitionKey, rowKey);
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }

  /**
   * Up to `limit` requests from one index partition, in key order, each checked against the
   * request itself: pages are read until the limit is filled or the partition ends.
   */
  private async fromIndex(partitionKey: string, limit: number, matches: (request: GroupRequest) => boolean): Promise<GroupRequest[]> {
    const found: GroupRequest[] = [];
    const pages = this.requests
      .listEntities<IndexRow>({ queryOptions: { filter: odata`PartitionKey eq ${partitionKey}`, select: ['requestId', 'createdAt'] } })
      .byPage({ maxPageSize: Math.min(INDEX_PAGE, Math.max(limit, 1)) });
    for await (const page of pages) {
      const requests = await Promise.all(page.map((row) => this.get(row.requestId)));
      requests.forEach((request, index) => {
        if (request && request.createdAt === page[index].createdAt && matches(request) && found.length < limit) found.push(request);
      });
      if (found.length >= limit) break;
    }
    return found;
  }

  async listByRequester(aadObjectId: string, limit: number): Promise<GroupRequest[]> {
    checkLimit(limit);
    if (limit === 0) return [];
    return this.fromIndex(requesterPartition(aadObjectId), limit, (request) => request.requester.aadObjectId === aadObjectId);
  }

  async listByStatus(statuses: readonly RequestStatus[], limit: number): Promise<GroupRequest[]> {
    checkLimit(limit);
    if (statuses.length === 0 || limit === 0) return [];
    const lists = await Promise.all(
      [...new Set(statuses)].map((status) => this.fromIndex(statusPartition(status), limit, (request) => request.status === status)),
    );
    return lists.flat().sort(compareRequests).slice(0, limit);
  }

  async listAll(query: RequestPageQuery): Promise<RequestPage> {
    checkPageQuery(query);
    return pageOfAllRequests(this.requests, query, (id) => this.get(id));
  }

  async listDue(now: string, limit: number): Promise<GroupRequest[]> {
    checkLimit(limit);
    const found: GroupRequest[] = [];
    if (limit === 0) return found;
    const filter = odata`PartitionKey eq ${DUE_PARTITION} and RowKey lt ${dueRowsUntil(now)}`;
    const pages = this.requests
      .listEntities<{ requestId: string; dueAt: string }>({ queryOptions: { filter } })
      .byPage({ maxPageSize: Math.min(INDEX_PAGE, limit) });
    for await (const page of pages) {
      const requests = await Promise.all(page.map((row) => this.get(row.requestId)));
      for (const [index, request] of requests.entries()) {
        const row = page[index];
        if (request && nextDueAt(request) === row.dueAt) {
          if (found.length < limit) found.push(request);
        } else if (Date.now() - Date.parse(String(row.timestamp)) > UNFINISHED_RESERVATION_MS) {
          // Left by a write that failed or stopped after its index entity; a newer one may still be on its way.
          await this.deleteIfThere(DUE_PARTITION, String(row.rowKey));
        }
      }
      if (found.length >= limit) break;
    }
    return found;
  }

  async pendingChanges(limit: number, except?: ReadonlySet<string>): Promise<PendingChange[]> {
    checkLimit(limit);
    return this.outbox.pendingChanges(limit, except);
  }

  async recordDelivered(change: PendingChange, cards?: CardLocations): Promise<void> {
    const row = {
      partitionKey: keyOf(change.requestId),
      rowKey: changeRowKey(change.version, change.index),
      delivered: JSON.stringify(change.delivered),
    };
    if (!cards) {
      await this.requests.updateEntity(row, 'Merge');
      return;
    }
    // The card's location and the delivery made in one batch of the request's partition, conditional
    // on the request as read: a writer in between makes it read again.
    for (;;) {
      const stored = await this.readEntity(this.requests, keyOf(change.requestId), REQUEST_ROW);
      if (stored === undefined) return;
      const request = await unpackRequestBody(stored);
      const located = { ...request, cards: { ...request.cards, ...cards } };
      try {
        const response = await this.requests.submitTransaction([
          ['update', await entityOf(located), 'Replace', { etag: stored.etag }],
          ['update', row, 'Merge'],
        ]);
        this.etags.remember(request.id, request.version, response.subResponses[0]?.etag, located.cards);
        return;
      } catch (error) {
        if (statusOf(error) !== 412) throw error;
      }
    }
  }

  async claimChange(change: PendingChange, owner: string, leaseMs: number): Promise<boolean> {
    const partitionKey = keyOf(change.requestId);
    const rowKey = changeRowKey(change.version, change.index);
    const row = await this.readEntity(this.requests, partitionKey, rowKey, ['claimedBy', 'claimedUntil']);
    if (row === undefined) return false;
    const now = Date.now();
    if (row.claimedBy !== undefined && row.claimedBy !== owner && Number(row.claimedUntil) > now) return false;
    try {
      // Conditional on the row as read: of two instances claiming at once, one wins.
      await this.requests.updateEntity({ partitionKey, rowKey, claimedBy: owner, claimedUntil: now + leaseMs }, 'Merge', {
        etag: row.etag,
      });
      return true;
    } catch (error) {
      if (statusOf(error) === 412 || statusOf(error) === 404) return false;
      throw error;
    }
  }

  async finishChange(change: PendingChange): Promise<void> {
    try {
      await this.requests.deleteEntity(keyOf(change.requestId), changeRowKey(change.version, change.index));
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }

  async saveDraft(draft: FormDraft): Promise<void> {
    checkDraft(draft);
    await this.drafts.createEntity({
      partitionKey: DRAFTS_PARTITION,
      rowKey: keyOf(draft.id),
      savedAt: draft.savedAt,
      ...(await packBody(draft.id, draft)),
    });
  }

  async getDraft(id: string): Promise<FormDraft | undefined> {
    checkId(id);
    const entity = await this.readEntity(this.drafts, DRAFTS_PARTITION, keyOf(id));
    return entity === undefined ? undefined : unpackBody<FormDraft>(entity);
  }

  async deleteDraftsSavedBefore(savedAt: string): Promise<number> {
    const filter = odata`PartitionKey eq ${DRAFTS_PARTITION} and savedAt lt ${savedAt}`;
    let deleted = 0;
    for await (const row of this.drafts.listEntities({ queryOptions: { filter, select: ['RowKey'] } })) {
      try {
        await this.drafts.deleteEntity(DRAFTS_PARTITION, row.rowKey as string);
        deleted++;
      } catch (error) {
        // Another instance removed it first.
        if (statusOf(error) !== 404) throw error;
      }
    }
    return deleted;
  }

  async getSetting(name: string): Promise<string | undefined> {
    checkSettingName(name);
    const entity = await this.readEntity(this.settings, SETTINGS_PARTITION, keyOf(name));
    return entity === undefined ? undefined : String(entity.value);
  }

  async setSetting(name: string, value: string): Promise<void> {
    checkSetting(name, value);
    await this.settings.upsertEntity({ partitionKey: SETTINGS_PARTITION, rowKey: keyOf(name), value }, 'Replace');
  }

  /** Nothing to release: the clients hold no connection between calls. */
  async close(): Promise<void> {}

  /** The request's entity as stored now, if still at `previous`'s version. */
  private async currentEntity(previous: GroupRequest): Promise<SeenEntity> {
    const current = await this.readEntity(this.requests, keyOf(previous.id), REQUEST_ROW);
    if (current === undefined) throw new RequestNotFoundError(previous.id);
    if (current.version !== previous.version) throw new VersionConflictError(previous.id, previous.version);
    return { etag: current.etag, cards: (await unpackRequestBody(current)).cards };
  }

  private async readEntity(table: TableClient, partitionKey: string, rowKey: string, select?: string[]): Promise<Entity | undefined> {
    try {
      return await table.getEntity<Record<string, unknown>>(partitionKey, rowKey, select && { queryOptions: { select } });
    } catch (error) {
      if (statusOf(error) === 404 && (error as RestError).code !== 'TableNotFound') return undefined;
      throw error;
    }
  }
}

type RequestEntity = Awaited<ReturnType<typeof entityOf>>;

async function entityOf(request: GroupRequest) {
  return {
    partitionKey: keyOf(request.id),
    rowKey: REQUEST_ROW,
    requestId: request.id,
    version: request.version,
    status: request.status,
    requesterAadObjectId: request.requester.aadObjectId,
    createdAt: request.createdAt,
    updatedAt: request.updatedAt,
    ...(await packRequestBody(request)),
  };
}

/** Oldest first; the id breaks ties so every adapter lists in the same order. */
function compareRequests(a: GroupRequest, b: GroupRequest): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return 0;
}
