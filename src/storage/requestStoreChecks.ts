import type { FormDraft } from '../requests/formDrafts';
import type { GroupRequest } from '../requests/groupRequest';
import type { RequestPageQuery } from '../requests/requestStore';
import { RequestStoreUsageError } from './storeErrors';

/** The argument rules of the RequestStore port, shared so every adapter refuses the same calls. */

export function checkInsert(request: GroupRequest): void {
  checkId(request.id);
  if (request.version !== 1) {
    throw new RequestStoreUsageError(`A new request is stored as version 1, but request ${request.id} has version ${request.version}.`);
  }
}

export function checkReplace(previous: GroupRequest, next: GroupRequest): void {
  if (previous.id !== next.id) {
    throw new RequestStoreUsageError(
      `replace() got two different requests: ${previous.id} and ${next.id}; pass the same request before and after.`,
    );
  }
  if (next.version !== previous.version + 1) {
    throw new RequestStoreUsageError(
      `The next version of request ${next.id} must be ${previous.version + 1} (previous + 1), not ${next.version}.`,
    );
  }
}

export function checkLimit(limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new RequestStoreUsageError(`A list limit is a whole number of requests (0 or more), not ${limit}.`);
  }
}

/** A page of zero would never move on. */
export function checkPageQuery(query: RequestPageQuery): void {
  if (!Number.isSafeInteger(query.limit) || query.limit < 1) {
    throw new RequestStoreUsageError(`A page holds a whole number of requests, 1 or more, not ${query.limit}.`);
  }
  if (query.after !== undefined) checkId(query.after.id);
}

export function checkId(id: string): void {
  if (typeof id !== 'string' || id.length === 0 || id.length > 200) {
    throw new RequestStoreUsageError(`A request id is a non-empty string of at most 200 characters, not ${JSON.stringify(id)}.`);
  }
}

/** A string property of an Azure table entity holds at most 64 KiB of UTF-16; every adapter keeps to it. */
export const MAX_SETTING_CHARS = 32 * 1024;

export function checkSetting(name: string, value: string): void {
  checkSettingName(name);
  if (value.length > MAX_SETTING_CHARS) {
    throw new RequestStoreUsageError(`Setting ${name} is ${value.length} characters long; a setting holds at most ${MAX_SETTING_CHARS}.`);
  }
}

export function checkSettingName(name: string): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > 200) {
    throw new RequestStoreUsageError(`A setting name is a non-empty string of at most 200 characters, not ${JSON.stringify(name)}.`);
  }
}

export function checkDraft(draft: FormDraft): void {
  checkId(draft.id);
  if (Number.isNaN(Date.parse(draft.savedAt))) {
    throw new RequestStoreUsageError(`Draft ${draft.id} needs the time it was saved (ISO 8601), not ${JSON.stringify(draft.savedAt)}.`);
  }
}
