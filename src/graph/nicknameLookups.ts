import { MAX_BATCH_PARTS, succeeded, type GraphTransport } from './graphTransport';
import { inList, queryString } from './odataText';

/** Graph counts each value of an `in (…)` as one of the 15 expressions a filter may hold. */
const NICKNAMES_PER_FILTER = 15;
/** Largest page Graph serves for groups. */
const PAGE_SIZE = 999;

export interface GroupUsingNickname {
  id: string;
  mailNickname: string;
  uniqueName?: string | null;
}

interface Waiter {
  resolve(groups: GroupUsingNickname[]): void;
  reject(error: unknown): void;
}

interface Page {
  value: GroupUsingNickname[];
  '@odata.nextLink'?: string;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

/**
 * The groups using each mail nickname asked about. A lookup asked alone goes on the next turn of
 * the event loop, as one GET; lookups asked while it is on its way wait for it and then go together, 15 nicknames to a
 * `mailNickname in (…)` filter and 20 filters to a `$batch`. So a burst of approvals costs about
 * one round trip for all its nickname checks instead of one each, and nobody waits on a timer.
 */
export class NicknameLookups {
  private readonly waiting = new Map<string, Waiter[]>();
  private sending = false;

  constructor(private readonly transport: GraphTransport) {}

  groupsUsing(mailNickname: string): Promise<GroupUsingNickname[]> {
    const key = mailNickname.toLowerCase();
    return new Promise((resolve, reject) => {
      this.waiting.set(key, [...(this.waiting.get(key) ?? []), { resolve, reject }]);
      if (this.sending) return;
      this.sending = true;
      // The lookups of one turn of the event loop (the creations one batch of clicks started) go together.
      setImmediate(() => void this.sendWaiting());
    });
  }

  private async sendWaiting(): Promise<void> {
    while (this.waiting.size > 0) {
      const taken = [...this.waiting].slice(0, NICKNAMES_PER_FILTER * MAX_BATCH_PARTS);
      for (const [key] of taken) this.waiting.delete(key);
      try {
        const found = await this.lookUp(taken.map(([key]) => key));
        for (const [key, waiters] of taken) waiters.forEach((waiter) => waiter.resolve(found.get(key) ?? []));
      } catch (error) {
        for (const [, waiters] of taken) waiters.forEach((waiter) => waiter.reject(error));
      }
    }
    this.sending = false;
  }

  /** The groups using any of these nicknames (lower case), by nickname. */
  private async lookUp(nicknames: readonly string[]): Promise<Map<string, GroupUsingNickname[]>> {
    const paths = chunk(nicknames, NICKNAMES_PER_FILTER).map(
      (some) => `/groups${queryString({ $filter: inList('mailNickname', some), $select: 'id,mailNickname,uniqueName', $top: PAGE_SIZE })}`,
    );
    const groups: GroupUsingNickname[] = [];
    if (paths.length === 1) {
      groups.push(...(await this.transport.all<GroupUsingNickname>(paths[0], 'checkMailNickname')));
    } else {
      const results = await this.transport.batch(
        paths.map((url) => ({ method: 'GET' as const, url })),
        'checkMailNickname',
      );
      for (const [index, result] of results.entries()) {
        if (!succeeded(result)) throw this.transport.partError(result, 'checkMailNickname');
        const page = result.body as Page;
        // More than a page for 15 nicknames is rare: that filter is read again, every page of it.
        if (page['@odata.nextLink'] === undefined) groups.push(...page.value);
        else groups.push(...(await this.transport.all<GroupUsingNickname>(paths[index], 'checkMailNickname')));
      }
    }
    const byNickname = new Map<string, GroupUsingNickname[]>();
    for (const group of groups) {
      const key = group.mailNickname.toLowerCase();
      byNickname.set(key, [...(byNickname.get(key) ?? []), group]);
    }
    return byNickname;
  }
}
