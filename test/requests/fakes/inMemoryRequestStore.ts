import type { FormDraft } from '../../../src/requests/formDrafts';
import type { CardLocations, GroupRequest, RequestStatus } from '../../../src/requests/groupRequest';
import { compareChanges, type PendingChange, type RequestChange } from '../../../src/requests/requestChange';
import { nextDueAt } from '../../../src/requests/waitingClock';
import {
  holdsMailNickname,
  holdsNickname,
  mailNicknamesOf,
  MailNicknameHeldError,
  RequestAlreadyExistsError,
  RequestNotFoundError,
  VersionConflictError,
  type RequestCursor,
  type RequestPage,
  type RequestPageQuery,
  withStoredCards,
  type RequestStore,
} from '../../../src/requests/requestStore';
import {
  checkDraft,
  checkId,
  checkInsert,
  checkLimit,
  checkPageQuery,
  checkReplace,
  checkSettingName,
} from '../../../src/storage/requestStoreChecks';

/** What several stores opened on one "database" share, as several bot processes share a file. */
export class InMemoryRequestData {
  readonly requests = new Map<string, GroupRequest>();
  readonly changes: PendingChange[] = [];
  /** Which instance holds each change, and until when. */
  readonly claims = new WeakMap<PendingChange, { owner: string; until: number }>();
  readonly settings = new Map<string, string>();
  readonly drafts = new Map<string, FormDraft>();

  open(): InMemoryRequestStore {
    return new InMemoryRequestStore(this);
  }
}

/**
 * A RequestStore held in memory, for unit tests of the requests domain. It runs the same contract
 * as the real adapters (inMemoryRequestStore.test.ts), so what a test sees is what SQLite and
 * Azure Tables would do. Every check-and-write runs without an await in between: atomic here.
 * Listings scan, which is fine at the sizes a unit test holds.
 */
export class InMemoryRequestStore implements RequestStore {
  constructor(private readonly data: InMemoryRequestData = new InMemoryRequestData()) {}

  async insert(request: GroupRequest, changes: readonly RequestChange[] = []): Promise<void> {
    checkInsert(request);
    if (this.data.requests.has(request.id)) throw new RequestAlreadyExistsError(request.id);
    for (const nickname of holdsMailNickname(request.status) ? mailNicknamesOf(request) : []) {
      const holder = this.openWithNickname(nickname);
      if (holder) throw new MailNicknameHeldError(nickname, holder.id);
    }
    this.write(request, changes);
  }

  async get(id: string): Promise<GroupRequest | undefined> {
    checkId(id);
    const request = this.data.requests.get(id);
    return request && structuredClone(request);
  }

  async findOpenByMailNickname(mailNickname: string): Promise<GroupRequest | undefined> {
    const holder = this.openWithNickname(mailNickname);
    return holder && structuredClone(holder);
  }

  async replace(previous: GroupRequest, next: GroupRequest, changes: readonly RequestChange[] = []): Promise<void> {
    checkReplace(previous, next);
    const stored = this.data.requests.get(previous.id);
    if (!stored) throw new RequestNotFoundError(previous.id);
    if (stored.version !== previous.version) throw new VersionConflictError(previous.id, previous.version);
    this.write(withStoredCards(stored.cards, next), changes);
  }

  async pendingChanges(limit: number, except: ReadonlySet<string> = new Set()): Promise<PendingChange[]> {
    checkLimit(limit);
    const pending = this.data.changes.filter((change) => !except.has(change.requestId));
    return structuredClone(pending.sort(compareChanges).slice(0, limit));
  }

  async recordDelivered(change: PendingChange, cards?: CardLocations): Promise<void> {
    const stored = this.findChange(change);
    if (stored) stored.delivered = [...change.delivered];
    const request = this.data.requests.get(change.requestId);
    if (cards && request) request.cards = { ...request.cards, ...structuredClone(cards) };
  }

  async claimChange(change: PendingChange, owner: string, leaseMs: number): Promise<boolean> {
    const stored = this.findChange(change);
    if (!stored) return false;
    const claim = this.data.claims.get(stored);
    if (claim && claim.owner !== owner && claim.until > Date.now()) return false;
    this.data.claims.set(stored, { owner, until: Date.now() + leaseMs });
    return true;
  }

  async finishChange(change: PendingChange): Promise<void> {
    const stored = this.findChange(change);
    if (stored) this.data.changes.splice(this.data.changes.indexOf(stored), 1);
  }

  async listByRequester(aadObjectId: string, limit: number): Promise<GroupRequest[]> {
    checkLimit(limit);
    const theirs = this.all().filter((request) => request.requester.aadObjectId === aadObjectId);
    return theirs.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, limit);
  }

  async listByStatus(statuses: readonly RequestStatus[], limit: number): Promise<GroupRequest[]> {
    checkLimit(limit);
    const matching = this.all().filter((request) => statuses.includes(request.status));
    return matching.sort((a, b) => a.createdAt.localeCompare(b.createdAt)).slice(0, limit);
  }

  async listAll(query: RequestPageQuery): Promise<RequestPage> {
    checkPageQuery(query);
    const after = query.after;
    const later = this.all()
      .filter((request) => request.createdAt >= (query.createdFrom ?? ''))
      .filter((request) => !after || compareCreation(request, after) > 0)
      .sort(compareCreation);
    const requests = later.slice(0, query.limit);
    const last = requests.at(-1);
    return later.length > query.limit && last ? { requests, next: { createdAt: last.createdAt, id: last.id } } : { requests };
  }

  async listDue(now: string, limit: number): Promise<GroupRequest[]> {
    checkLimit(limit);
    const due = this.all().flatMap((request) => {
      const at = nextDueAt(request);
      return at !== undefined && at <= now ? [{ at, request }] : [];
    });
    return due
      .sort((a, b) => a.at.localeCompare(b.at) || a.request.id.localeCompare(b.request.id))
      .slice(0, limit)
      .map((d) => d.request);
  }

  async getSetting(name: string): Promise<string | undefined> {
    checkSettingName(name);
    return this.data.settings.get(name);
  }

  async setSetting(name: string, value: string): Promise<void> {
    checkSettingName(name);
    this.data.settings.set(name, value);
  }

  async saveDraft(draft: FormDraft): Promise<void> {
    checkDraft(draft);
    this.data.drafts.set(draft.id, structuredClone(draft));
  }

  async getDraft(id: string): Promise<FormDraft | undefined> {
    const draft = this.data.drafts.get(id);
    return draft && structuredClone(draft);
  }

  async deleteDraftsSavedBefore(savedAt: string): Promise<number> {
    const expired = [...this.data.drafts.values()].filter((draft) => Date.parse(draft.savedAt) < Date.parse(savedAt));
    for (const draft of expired) this.data.drafts.delete(draft.id);
    return expired.length;
  }

  async close(): Promise<void> {}

  private write(request: GroupRequest, changes: readonly RequestChange[]): void {
    this.data.requests.set(request.id, structuredClone(request));
    changes.forEach((change, index) =>
      this.data.changes.push({ requestId: request.id, version: request.version, index, change: structuredClone(change), delivered: [] }),
    );
  }

  private openWithNickname(mailNickname: string): GroupRequest | undefined {
    return [...this.data.requests.values()].find((request) => holdsNickname(request, mailNickname));
  }

  private findChange(change: PendingChange): PendingChange | undefined {
    return this.data.changes.find((c) => c.requestId === change.requestId && c.version === change.version && c.index === change.index);
  }

  private all(): GroupRequest[] {
    return structuredClone([...this.data.requests.values()]);
  }
}

function compareCreation(a: RequestCursor, b: RequestCursor): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
