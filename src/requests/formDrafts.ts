import { randomBytes } from 'node:crypto';
import type { Actor } from './groupRequest';
import type { RequestFormValues } from './requestForm';
import { fieldsFor, shapeOf } from './formShape';

/**
 * What a requester typed into a form, kept on the server while the form is checked or shown
 * again with its errors: a card then carries only the draft's id, never thousands of names.
 */
export interface FormDraft {
  id: string;
  /** Only the person who typed it may get it back. */
  ownerAadObjectId: string;
  values: RequestFormValues;
  savedAt: string;
}

/**
 * Where drafts live. `saveDraft` stores a new draft (ids are random, never reused); `getDraft`
 * returns a copy or undefined; `deleteDraftsSavedBefore` removes the expired ones and says how many.
 */
export interface DraftStore {
  saveDraft(draft: FormDraft): Promise<void>;
  getDraft(id: string): Promise<FormDraft | undefined>;
  deleteDraftsSavedBefore(savedAt: string): Promise<number>;
}

/** A draft is kept for a week: long enough to come back to a form, short enough not to pile up. */
export const DRAFT_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
/** A members list longer than this stays in the draft; the form shows it counted instead. */
export const INLINE_MEMBERS_CHARS = 2000;

const DRAFT_ID = /^[A-Za-z0-9_-]{22}$/;

/** The draft id a card action carries, when it looks like one; whose it is is checked on reading. */
export function readDraftId(data: unknown): string | undefined {
  const draftId = (data as { draftId?: unknown } | undefined)?.draftId;
  return typeof draftId === 'string' && DRAFT_ID.test(draftId) ? draftId : undefined;
}

export class FormDrafts {
  constructor(
    private readonly store: DraftStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Keeps `values` for `owner` under a new id, and lets expired drafts go. */
  async keep(owner: Actor, values: RequestFormValues): Promise<string> {
    const id = randomBytes(16).toString('base64url');
    const now = this.now().getTime();
    await this.store.saveDraft({ id, ownerAadObjectId: owner.aadObjectId, values, savedAt: new Date(now).toISOString() });
    await this.store.deleteDraftsSavedBefore(new Date(now - DRAFT_LIFETIME_MS).toISOString());
    return id;
  }

  /** The values of `owner`'s draft `id`; nothing for someone else's, an expired or an unknown one. */
  async restore(id: string | undefined, owner: Actor): Promise<RequestFormValues | undefined> {
    if (!id) return undefined;
    const draft = await this.store.getDraft(id);
    if (!draft || draft.ownerAadObjectId.toLowerCase() !== owner.aadObjectId.toLowerCase()) return undefined;
    if (Date.parse(draft.savedAt) < this.now().getTime() - DRAFT_LIFETIME_MS) return undefined;
    return draft.values;
  }

  /**
   * The values a form sends, completed from its draft: the fields this form does not show (typed
   * under another kind or membership type) come back from it, and a members box left empty on a
   * form that kept a long list in its draft means "keep that list". A short list was on the card
   * itself, so an empty box then means the requester cleared it.
   */
  async complete(sent: RequestFormValues, draftId: string | undefined, owner: Actor): Promise<RequestFormValues> {
    const kept = await this.restore(draftId, owner);
    if (!kept) return sent;
    const shown = new Set<string>(fieldsFor(shapeOf(sent)));
    const hidden = Object.entries(kept).filter(([field]) => !shown.has(field));
    const completed: RequestFormValues = { ...sent, ...Object.fromEntries(hidden) };
    if (!(sent.members ?? '').trim() && membersNeedDraft(kept)) completed.members = kept.members;
    return completed;
  }
}

/** Whether a form showing `values` must keep its members in a draft instead of in the card. */
export function membersNeedDraft(values: RequestFormValues): boolean {
  return (values.members ?? '').length > INLINE_MEMBERS_CHARS;
}
