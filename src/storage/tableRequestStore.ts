import { odata, RestError, type TableClient, type TableEntityResult } from '@azure/data-tables';
import type { GroupRequest, RequestStatus } from '../requests/groupRequest';
import { RequestAlreadyExistsError, RequestNotFoundError, VersionConflictError, type RequestStore } from '../requests/requestStore';
import { EtagMemo } from './etagMemo';
import { checkId, checkInsert, checkLimit, checkReplace, checkSettingName } from './requestStoreChecks';
import { tableClient } from './tableConnection';
import { packRequestBody, unpackRequestBody } from './tableRequestBody';
import { RequestStoreUsageError } from './storeErrors';

export interface TableRequestStoreOptions {
  connectionString: string;
  requestsTable: string;
  settingsTable: string;
}

/** One request per partition: requests never share a write, so partitions can spread freely. */
const REQUEST_ROW = 'request';
const SETTINGS_PARTITION = 'setting';
/** A string property holds at most 64 KiB of UTF-16. */
const MAX_SETTING_CHARS = 32 * 1024;

/** The columns a listing filters and sorts on, read without the (large) body. */
interface ListingRow {
  requestId: string;
  createdAt: string;
}

type Entity = TableEntityResult<Record<string, unknown>>;

/**
 * Requests in Azure Table Storage, shared by several bot instances. Every replace is one write
 * conditional on the entity's ETag; the request itself is gzipped JSON spread over binary properties.
 */
export class TableRequestStore implements RequestStore {
  private readonly etags = new EtagMemo();

  private constructor(
    private readonly requests: TableClient,
    private readonly settings: TableClient,
  ) {}

  /** Connects, creating both tables if they do not exist yet. */
  static async open(options: TableRequestStoreOptions): Promise<TableRequestStore> {
    const requests = tableClient(options.connectionString, options.requestsTable);
    const settings = tableClient(options.connectionString, options.settingsTable);
    await Promise.all([requests.createTable(), settings.createTable()]);
    return new TableRequestStore(requests, settings);
  }

  async insert(request: GroupRequest): Promise<void> {
    checkInsert(request);
    try {
      const response = await this.requests.createEntity(await entityOf(request));
      this.etags.remember(request.id, request.version, response.etag);
    } catch (error) {
      if (statusOf(error) === 409) throw new RequestAlreadyExistsError(request.id);
      throw error;
    }
  }

  async get(id: string): Promise<GroupRequest | undefined> {
    checkId(id);
    const entity = await this.readEntity(this.requests, keyOf(id), REQUEST_ROW);
    if (entity === undefined) return undefined;
    const request = await unpackRequestBody(entity);
    this.etags.remember(id, request.version, entity.etag);
    return request;
  }

  async replace(previous: GroupRequest, next: GroupRequest): Promise<void> {
    checkReplace(previous, next);
    const entity = await entityOf(next);
    const etag = this.etags.recall(previous.id, previous.version) ?? (await this.currentEtag(previous));
    try {
      const response = await this.requests.updateEntity(entity, 'Replace', { etag });
      this.etags.remember(next.id, next.version, response.etag);
    } catch (error) {
      if (statusOf(error) === 412) throw new VersionConflictError(previous.id, previous.version);
      if (statusOf(error) === 404) throw new RequestNotFoundError(previous.id);
      throw error;
    }
  }

  async listByRequester(aadObjectId: string, limit: number): Promise<GroupRequest[]> {
    checkLimit(limit);
    if (limit === 0) return [];
    const rows = await this.listRows(odata`requesterAadObjectId eq ${aadObjectId}`);
    rows.sort((a, b) => compareRows(b, a));
    const requests = await this.readAll(rows.slice(0, limit));
    // A request read after the query may have changed since; keep only what still matches.
    return requests.filter((request) => request.requester.aadObjectId === aadObjectId);
  }

  async listByStatus(statuses: readonly RequestStatus[], limit: number): Promise<GroupRequest[]> {
    checkLimit(limit);
    if (statuses.length === 0 || limit === 0) return [];
    const rows = await this.listRows(statuses.map((status) => odata`status eq ${status}`).join(' or '));
    rows.sort(compareRows);
    const requests = await this.readAll(rows.slice(0, limit));
    return requests.filter((request) => statuses.includes(request.status));
  }

  async getSetting(name: string): Promise<string | undefined> {
    checkSettingName(name);
    const entity = await this.readEntity(this.settings, SETTINGS_PARTITION, keyOf(name));
    return entity === undefined ? undefined : String(entity.value);
  }

  async setSetting(name: string, value: string): Promise<void> {
    checkSettingName(name);
    if (value.length > MAX_SETTING_CHARS) {
      throw new RequestStoreUsageError(
        `Setting ${name} is ${value.length} characters long; a setting holds at most ${MAX_SETTING_CHARS}.`,
      );
    }
    await this.settings.upsertEntity({ partitionKey: SETTINGS_PARTITION, rowKey: keyOf(name), value }, 'Replace');
  }

  /** Nothing to release: the clients hold no connection between calls. */
  async close(): Promise<void> {}

  private async currentEtag(previous: GroupRequest): Promise<string> {
    const current = await this.readEntity(this.requests, keyOf(previous.id), REQUEST_ROW, ['version']);
    if (current === undefined) throw new RequestNotFoundError(previous.id);
    if (current.version !== previous.version) throw new VersionConflictError(previous.id, previous.version);
    return current.etag;
  }

  private async listRows(filter: string): Promise<ListingRow[]> {
    const rows: ListingRow[] = [];
    const select = ['requestId', 'createdAt'];
    for await (const row of this.requests.listEntities<ListingRow>({ queryOptions: { filter, select } })) {
      rows.push({ requestId: row.requestId, createdAt: row.createdAt });
    }
    return rows;
  }

  private async readAll(rows: ListingRow[]): Promise<GroupRequest[]> {
    const requests = await Promise.all(rows.map((row) => this.get(row.requestId)));
    return requests.filter((request): request is GroupRequest => request !== undefined);
  }

  private async readEntity(
    table: TableClient,
    partitionKey: string,
    rowKey: string,
    select?: string[],
  ): Promise<Entity | undefined> {
    try {
      return await table.getEntity<Record<string, unknown>>(partitionKey, rowKey, select && { queryOptions: { select } });
    } catch (error) {
      if (statusOf(error) === 404 && (error as RestError).code !== 'TableNotFound') return undefined;
      throw error;
    }
  }
}

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

/** Keys may not hold / \ # ? or control characters; percent-encoding removes them all. */
function keyOf(value: string): string {
  return encodeURIComponent(value);
}

/** Oldest first; the id breaks ties so every adapter lists in the same order. */
function compareRows(a: ListingRow, b: ListingRow): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  if (a.requestId !== b.requestId) return a.requestId < b.requestId ? -1 : 1;
  return 0;
}

function statusOf(error: unknown): number | undefined {
  return error instanceof RestError ? error.statusCode : undefined;
}
