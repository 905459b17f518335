import type { GroupRequest, RequestStatus } from '../requests/groupRequest';

/**
 * Keys of the index entities kept next to the requests in Azure Table Storage, so listings and
 * the nickname check read one partition in key order instead of scanning the table. Partition
 * keys of index entities start with "%" and a letter, which percent-encoded request ids never do.
 */

/**
 * One request per partition (its key is `keyOf` the id): requests never share a write, so
 * partitions can spread freely. Its pending changes are rows of the same partition, so one entity
 * group transaction writes the request and its changes together (src/storage/tableOutbox.ts).
 */
export const REQUEST_ROW = 'request';

/** Keys may not hold / \ # ? or control characters; percent-encoding removes them all. */
export function keyOf(value: string): string {
  return encodeURIComponent(value);
}

/**
 * The one entity per open mail nickname, naming the request that holds it, alone in a partition
 * of its own: no partition grows with the number of open requests, and reads and writes of one
 * nickname never queue behind another's.
 */
export function nicknamePartition(mailNickname: string): string {
  return `%nickname%${keyOf(mailNickname.toLowerCase())}`;
}

export const NICKNAME_ROW = 'reservation';

/**
 * Where stores before per-nickname partitions kept every reservation, row key the nickname:
 * they are moved out when the store opens.
 */
export const SHARED_NICKNAME_PARTITION = '%nickname';

export function statusPartition(status: RequestStatus): string {
  return `%status%${status}`;
}

/** Oldest first, the id breaking ties, as every adapter lists. */
export function statusRow(request: Pick<GroupRequest, 'id' | 'createdAt'>): string {
  return `${request.createdAt}|${keyOf(request.id)}`;
}

export function requesterPartition(aadObjectId: string): string {
  return `%requester%${keyOf(aadObjectId)}`;
}

/** Newest first: the time counted down from the year 9999, so key order is newest first. */
export function requesterRow(request: Pick<GroupRequest, 'id' | 'createdAt'>): string {
  const countdown = 253402300799999 - Date.parse(request.createdAt);
  return `${String(countdown).padStart(15, '0')}|${keyOf(request.id)}`;
}

/**
 * The outbox: one entity per write that stored changes to deliver, written before them, naming
 * the request, its version and how many changes that write holds, so the changes themselves are
 * read by key. It lives in a table of its own, so reading it costs what is pending, not what is
 * stored. Entities written before that (in this partition of the requests table, one per
 * request, without version and count) are moved there when the store opens.
 */
export const OUTBOX_PARTITION = '%outbox';

/** A request's writes in the order made: versions are padded so they sort as numbers. */
export function outboxRow(requestId: string, version: number): string {
  return `${keyOf(requestId)}|${String(version).padStart(10, '0')}`;
}

/** One entity per waiting request with a step due, keyed by when it falls due: sweeps read the due ones only. */
export const DUE_PARTITION = '%due';

/** Earliest due first; ISO timestamps of one length sort as text. */
export function dueRow(dueAt: string, requestId: string): string {
  return `${dueAt}|${keyOf(requestId)}`;
}

/** Every row key of an entity due at or before `now` sorts below this. */
export function dueRowsUntil(now: string): string {
  return `${now}|~`;
}
