import { GraphCallError, isAlreadyThere } from './graphErrors';
import { MAX_BATCH_PARTS, succeeded, type GraphTransport } from './graphTransport';

/** Sends under way at once; upserts that come meanwhile go in a send of their own beside them. */
const MAX_IN_FLIGHT = 8;

const CREATE_IF_MISSING = { Prefer: 'create-if-missing' };

/** A group as Graph answers with it. */
export interface GraphGroup {
  id: string;
  displayName: string;
  createdDateTime?: string;
}

/** A 201 carries the group made; a 204 (found made before) carries nothing. */
function madeNow(body: unknown): GraphGroup | undefined {
  const group = body as GraphGroup | undefined;
  return group?.id ? group : undefined;
}

interface Waiting {
  /** `/groups(uniqueName='…')`. */
  path: string;
  body: unknown;
  resolve(made: GraphGroup | undefined): void;
  reject(error: unknown): void;
}

/**
 * Group upserts (`PATCH /groups(uniqueName='…')` with `Prefer: create-if-missing`) sent with one
 * credential. Upserts asked in the same turn of the event loop go together, 20 to a JSON `$batch`;
 * one alone goes as the plain PATCH. The creations a burst of approvals starts reach their upsert
 * together (their nickname checks answer at once), so the burst costs a few round trips for all its
 * groups instead of one each. Each part is answered, retried and told on its own, as the plain call is;
 * an upsert by key is idempotent, so sending a part again never makes a second group.
 */
export class GroupUpserts {
  private waiting: Waiting[] = [];
  private scheduled = false;
  private inFlight = 0;

  constructor(private readonly transport: GraphTransport) {}

  /**
   * The group made now (201), or undefined when one was there already under this key (204, or
   * 400 "already exist" for binds an earlier call made); a DirectoryError for any other failure.
   */
  upsert(path: string, body: unknown): Promise<GraphGroup | undefined> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ path, body, resolve, reject });
      this.schedule();
    });
  }

  /** The next send, on the next turn of the loop: upserts asked in this one go with it. */
  private schedule(): void {
    if (this.scheduled || this.inFlight >= MAX_IN_FLIGHT || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.sendWaiting();
    });
  }

  private async sendWaiting(): Promise<void> {
    const taken = this.waiting.splice(0, MAX_BATCH_PARTS);
    this.inFlight++;
    // More than a batch waits: the rest go beside this one.
    this.schedule();
    try {
      if (taken.length === 1) await this.sendAlone(taken[0]);
      else await this.sendTogether(taken);
    } catch (error) {
      taken.forEach((upsert) => upsert.reject(error));
    } finally {
      this.inFlight--;
      this.schedule();
    }
  }

  private async sendAlone(upsert: Waiting): Promise<void> {
    try {
      const answer = await this.transport.call<unknown>({
        method: 'PATCH',
        path: upsert.path,
        action: 'createGroup',
        headers: CREATE_IF_MISSING,
        body: upsert.body,
      });
      upsert.resolve(madeNow(answer));
    } catch (error) {
      if (error instanceof GraphCallError && isAlreadyThere(error.failure)) upsert.resolve(undefined);
      else upsert.reject(error);
    }
  }

  private async sendTogether(upserts: Waiting[]): Promise<void> {
    const results = await this.transport.batch(
      upserts.map((upsert) => ({ method: 'PATCH' as const, url: upsert.path, body: upsert.body, headers: CREATE_IF_MISSING })),
      'createGroup',
    );
    results.forEach((result, index) => {
      const upsert = upserts[index];
      if (succeeded(result)) upsert.resolve(madeNow(result.body));
      else if (isAlreadyThere(result.failure)) upsert.resolve(undefined);
      else upsert.reject(this.transport.partError(result, 'createGroup'));
    });
  }
}
