import { MAX_BATCH_PARTS, succeeded, type GraphTransport } from './graphTransport';
import { inList, queryString } from './odataText';

/** Graph counts each value of an `in (…)` as one of the 15 expressions a filter may hold. */
const NICKNAMES_PER_FILTER = 15;
/** Largest page Graph serves for groups. */
const PAGE_SIZE = 999;
/**
 * Sends under way at once. Lookups that come while one is under way go in a window of their own
 * instead of waiting for its answer: at a slow Graph, a burst's last creations would otherwise
 * wait two round trips for a nickname check.
 */
const MAX_IN_FLIGHT = 8;

export interface GroupUsingNickname {
  id: string;
  mailNickname: string;
  uniqueName?: string | null;
}

interface Waiter {
  resolve(groups: GroupUsingNickname[]): void;
  reject(error: unknown): void;
  /** Background work (a creation) that may wait for others to go with it. */
  mayWait: boolean;
}

interface Page {
  value: GroupUsingNickname[];
  '@odata.nextLink'?: string;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

/**
 * How long a lookup that may wait does at most, for others to go with it. Far less than a Graph
 * round trip, and long enough for the creations a burst of Approve clicks starts to ask together.
 */
export const NICKNAME_LOOKUP_WINDOW_MS = 100;
/**
 * A window ends sooner, this long after the last lookup that came in it. A burst's creations ask a
 * few ms apart and fill the window; its last ones, on the critical path of the burst's last
 * groups, do not wait out a window nobody else will join.
 */
const NICKNAME_LOOKUP_QUIET_MS = 15;

/**
 * The groups using each mail nickname asked about. Lookups asked together go together: 15
 * nicknames to a `mailNickname in (…)` filter and 20 filters to a `$batch`; one alone goes as one
 * GET. A lookup someone waits on goes on the next turn of the event loop; lookups for background
 * work wait a window for others, until none came for a moment. At most MAX_IN_FLIGHT sends at a
 * time. So a burst of approvals costs a few round trips for all its nickname checks instead of one each.
 */
export class NicknameLookups {
  private readonly waiting = new Map<string, Waiter[]>();
  private timer?: NodeJS.Timeout;
  private timerIsWindow = false;
  private windowOpenedAt?: number;
  private inFlight = 0;

  constructor(
    private readonly transport: GraphTransport,
    private readonly windowMs = NICKNAME_LOOKUP_WINDOW_MS,
  ) {}

  groupsUsing(mailNickname: string, mayWait: boolean): Promise<GroupUsingNickname[]> {
    const key = mailNickname.toLowerCase();
    return new Promise((resolve, reject) => {
      this.waiting.set(key, [...(this.waiting.get(key) ?? []), { resolve, reject, mayWait }]);
      this.schedule(true);
    });
  }

  /**
   * The next send: at once when someone waits on a lookup, else at the end of the window, which
   * each lookup coming in it (`arrived`) may bring closer.
   */
  private schedule(arrived = false): void {
    if (this.inFlight >= MAX_IN_FLIGHT || this.waiting.size === 0) return;
    const urgent = [...this.waiting.values()].some((waiters) => waiters.some((waiter) => !waiter.mayWait));
    if (this.timer && (!this.timerIsWindow || (!urgent && !arrived))) return;
    const now = Date.now();
    this.windowOpenedAt ??= now;
    clearTimeout(this.timer);
    this.timerIsWindow = !urgent;
    const due = urgent ? now : Math.min(this.windowOpenedAt + this.windowMs, now + NICKNAME_LOOKUP_QUIET_MS);
    this.timer = setTimeout(() => void this.sendWaiting(), due - now);
  }

  private async sendWaiting(): Promise<void> {
    this.timer = undefined;
    this.windowOpenedAt = undefined;
    this.inFlight++;
    const taken = [...this.waiting].slice(0, NICKNAMES_PER_FILTER * MAX_BATCH_PARTS);
    for (const [key] of taken) this.waiting.delete(key);
    // More than one send holds: the rest go beside this one.
    this.schedule();
    try {
      const found = await this.lookUp(taken.map(([key]) => key));
      for (const [key, waiters] of taken) waiters.forEach((waiter) => waiter.resolve(found.get(key) ?? []));
    } catch (error) {
      for (const [, waiters] of taken) waiters.forEach((waiter) => waiter.reject(error));
    } finally {
      this.inFlight--;
      this.schedule();
    }
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
