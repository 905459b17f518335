import type { RequestChange } from '../../requests/requestChange';
import type { RequestStore } from '../../requests/requestStore';
import type { GroupRequest } from '../../requests/groupRequest';

/**
 * The store as the rest of the bot uses it: every write that stores changes tells `stored`, so
 * this instance delivers them at once instead of at its next look at the store.
 */
export function signallingChanges(store: RequestStore, stored: () => void): RequestStore {
  const signalling: Partial<RequestStore> = {
    async insert(request: GroupRequest, changes: readonly RequestChange[] = []) {
      await store.insert(request, changes);
      if (changes.length) stored();
    },
    async replace(previous: GroupRequest, next: GroupRequest, changes: readonly RequestChange[] = []) {
      await store.replace(previous, next, changes);
      if (changes.length) stored();
    },
  };
  return new Proxy(store, {
    get: (target, property, receiver) =>
      property in signalling ? signalling[property as keyof RequestStore] : (Reflect.get(target, property, receiver) as unknown),
  });
}
