import type { GroupRequest, RequestStatus } from '../requests/groupRequest';

/**
 * Keys of the index entities kept next to the requests in Azure Table Storage, so listings and
 * the nickname check read one partition in key order instead of scanning the table. Partition
 * keys of index entities start with "%" and a letter, which percent-encoded request ids never do.
 */

/** Keys may not hold / \ # ? or control characters; percent-encoding removes them all. */
export function keyOf(value: string): string {
  return encodeURIComponent(value);
}

/** The one entity per open mail nickname, naming the request that holds it. */
export const NICKNAME_PARTITION = '%nickname';

export function nicknameRow(mailNickname: string): string {
  return keyOf(mailNickname.toLowerCase());
}

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
 * One entity per request that may have changes to deliver, written before them: the outbox is
 * found by reading this partition, and a request's own changes by reading its partition.
 */
export const OUTBOX_PARTITION = '%outbox';

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
