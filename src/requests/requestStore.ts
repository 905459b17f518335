import type { DraftStore } from './formDrafts';
import type { CardLocations, GroupRequest, RequestStatus } from './groupRequest';
import type { PendingChange, RequestChange } from './requestChange';

/** A write lost to another writer: someone changed the request first. */
export class VersionConflictError extends Error {
  constructor(
    readonly requestId: string,
    readonly expectedVersion: number,
  ) {
    super(`Request ${requestId} was changed by someone else (expected version ${expectedVersion}).`);
    this.name = 'VersionConflictError';
  }
}

/** An insert whose id is taken: the same form submitted twice, since ids come from the form's message. */
export class RequestAlreadyExistsError extends Error {
  constructor(readonly requestId: string) {
    super(`A request with the id ${requestId} already exists; give a new request a new id.`);
    this.name = 'RequestAlreadyExistsError';
  }
}

/** An insert whose mail nickname an open request already holds (compared without case). */
export class MailNicknameHeldError extends Error {
  constructor(
    readonly mailNickname: string,
    /** The id of the open request that holds it. */
    readonly heldBy: string,
  ) {
    super(`Request ${heldBy} already asks for the mail nickname ${mailNickname}.`);
    this.name = 'MailNicknameHeldError';
  }
}

/**
 * Whether a request in this status still holds its mail nickname: it may still make a group.
 * Settled requests release it.
 */
export function holdsMailNickname(status: RequestStatus): boolean {
  return NICKNAME_HOLDING_STATUSES.includes(status);
}

/** Every mail nickname a request asks for: its group's, and the Autopilot pair's device group's. */
export function mailNicknamesOf(request: GroupRequest): string[] {
  const device = request.spec.deviceGroup?.mailNickname;
  return device ? [request.spec.mailNickname, device] : [request.spec.mailNickname];
}

/** Whether an open request holds this nickname (compared without case), as its group's or its device group's. */
export function holdsNickname(request: GroupRequest, mailNickname: string): boolean {
  const wanted = mailNickname.toLowerCase();
  return holdsMailNickname(request.status) && mailNicknamesOf(request).some((held) => held.toLowerCase() === wanted);
}

export const NICKNAME_HOLDING_STATUSES: readonly RequestStatus[] = ['submitted', 'approved', 'creating', 'failed'];

/**
 * The card locations a write keeps: those `next` names, and those recorded since it was read,
 * which `next` cannot know of. Locations are only ever added.
 */
export function withStoredCards(stored: CardLocations, next: GroupRequest): GroupRequest {
  return { ...next, cards: { ...stored, ...next.cards } };
}

export class RequestNotFoundError extends Error {
  constructor(readonly requestId: string) {
    super(`No request has the id ${requestId}.`);
    this.name = 'RequestNotFoundError';
  }
}

/** A place in the order of all requests: creation time, then id. */
export interface RequestCursor {
  createdAt: string;
  id: string;
}

export interface RequestPageQuery {
  /** Only requests created at or after this ISO 8601 time (as `createdAt` is written: UTC, `toISOString`). */
  createdFrom?: string;
  /** Start after this request: the `next` of the previous page. */
  after?: RequestCursor;
  /** At most this many requests, 1 or more. */
  limit: number;
}

export interface RequestPage {
  requests: GroupRequest[];
  /** Where the next page starts; absent on the last page. */
  next?: RequestCursor;
}

/**
 * Where requests live. Every adapter honours the same contract (test/storage/requestStoreContract.ts).
 *
 * Opening: each adapter's `open(options)` is async, takes one options object, creates what is
 * missing (file, tables) and fails with the adapter's configuration error, whose message says
 * which file or tables and what to check.
 *
 * Writes:
 * - `insert` stores version 1 and refuses an id that exists (RequestAlreadyExistsError), or a
 *   mail nickname an open request holds, compared without case (MailNicknameHeldError), so of
 *   two submissions racing for one nickname exactly one is stored; an Autopilot pair holds both
 *   its nicknames (mailNicknamesOf), each against every nickname of every open request;
 * - `replace` writes `next` (whose version is `previous.version + 1`) only if the stored
 *   version is still `previous.version`, else throws VersionConflictError; a request that is not
 *   stored at all throws RequestNotFoundError;
 * - `changes` given to `insert` or `replace` are stored in the same atomic write as the request
 *   (its outbox): both are stored or neither is. They stay pending, in the order written, until
 *   `finishChange`; `recordDelivered` keeps which of their deliveries were made and, in the
 *   same atomic write, where a card a delivery posted is (the request's version unchanged);
 * - card locations once recorded are kept: a `replace` whose `next` lacks one keeps the stored one;
 * - `claimChange` is one conditional write: of several instances, one holds a change at a time,
 *   until its lease ends; the holder may renew it.
 *
 * Reads:
 * - `get` and `findOpenByMailNickname` return undefined, never throw, when nothing matches;
 * - reads return copies: changing a returned object never changes the store;
 * - `listByRequester` returns the newest first, `listByStatus` the oldest first (by creation time,
 *   then id), at most `limit` of them: there is no paging beyond the first `limit`;
 * - `listDue` returns the requests whose next step (nextDueAt of src/requests/waitingClock.ts)
 *   falls due at or before `now`, the earliest due first, at most `limit`, from an index kept
 *   on that time: requests with nothing due are never read;
 * - `pendingChanges` returns each request's changes in the order written, at most `limit`;
 * - `listAll` pages through every request, oldest first (creation time, then id), at most `limit`
 *   (1 or more) a page: following each page's `next` until a page has none visits every request
 *   stored before the first page exactly once, whatever is written meanwhile; a page may hold fewer
 *   than `limit` and still have a `next`. Memory is bounded by `limit`, never by the store's size;
 * - every read and listing costs the same whatever the number of stored requests: keyed lookups
 *   and ordered indexes, never a scan.
 *
 * Limits, the same in every adapter: ids and setting names are 1 to 200 characters, a setting
 * value at most 32 KiB characters, a limit a whole number of 0 or more; a call breaking them is a
 * caller bug and throws the adapter's usage error. Azure tables also refuse a request larger than
 * one entity holds, even compressed (RequestTooLargeError); SQLite has no such limit.
 *
 * The form drafts of src/requests/formDrafts.ts are kept beside the requests.
 */
export interface RequestStore extends DraftStore {
  insert(request: GroupRequest, changes?: readonly RequestChange[]): Promise<void>;
  get(id: string): Promise<GroupRequest | undefined>;
  /** The open request holding this mail nickname (compared without case), as either of its nicknames, if any. */
  findOpenByMailNickname(mailNickname: string): Promise<GroupRequest | undefined>;
  replace(previous: GroupRequest, next: GroupRequest, changes?: readonly RequestChange[]): Promise<void>;
  /**
   * Changes not yet finished, each request's in the order written (see compareChanges). Those
   * of the requests in `except` (the caller delivers them already) need not be read: a store
   * that leaves them out lets `limit` reach the changes behind them.
   */
  pendingChanges(limit: number, except?: ReadonlySet<string>): Promise<PendingChange[]>;
  /**
   * Keeps `change.delivered`, so a delivery made is never made again, even after a restart; with
   * `cards`, records in the same write where the card that delivery posted is.
   */
  recordDelivered(change: PendingChange, cards?: CardLocations): Promise<void>;
  /**
   * Takes `change` for the instance `owner` for `leaseMs`, unless another instance holds it and
   * its lease has not ended; true when taken or renewed. Only the holder delivers it.
   */
  claimChange(change: PendingChange, owner: string, leaseMs: number): Promise<boolean>;
  /** Every delivery of the change is made: it is no longer pending. */
  finishChange(change: PendingChange): Promise<void>;
  listByRequester(aadObjectId: string, limit: number): Promise<GroupRequest[]>;
  listByStatus(statuses: readonly RequestStatus[], limit: number): Promise<GroupRequest[]>;
  /** One page of every request, for exports: see RequestPageQuery. */
  listAll(query: RequestPageQuery): Promise<RequestPage>;
  /** Waiting requests with a reminder, escalation or expiry due at `now` (an ISO timestamp). */
  listDue(now: string, limit: number): Promise<GroupRequest[]>;
  /** Small named settings that must survive restarts, e.g. the approvals channel. */
  getSetting(name: string): Promise<string | undefined>;
  setSetting(name: string, value: string): Promise<void>;
  close(): Promise<void>;
}
