import { DirectoryError } from './directory';
import type { GroupRequest } from './groupRequest';
import { recordEvent, runCreation } from './groupCreation';
import type { CreationIdentity, RequestContext } from './requestServiceDeps';

/**
 * Runs creations in the background, after the click was answered, and knows which run now. The
 * outcome is stored with its changes for the bot to tell.
 */
export class CreationRunner {
  private readonly running = new Map<string, Promise<GroupRequest>>();

  constructor(private readonly ctx: RequestContext) {}

  isRunning(id: string): boolean {
    return this.running.has(id);
  }

  /** Resolves once no creation runs: for shutdown and tests. */
  async settled(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running.values()]);
  }

  start(request: GroupRequest, identity: CreationIdentity): void {
    const work = this.create(request, identity)
      // Even recording the failure failed (the store is down): the request stays in `creating`,
      // and the next start or sweep finishes it. Nothing may bring the process down from here.
      .catch((error: unknown) => {
        this.ctx.deps.onBackgroundError?.(error, request);
        return request;
      })
      .finally(() => this.running.delete(request.id));
    this.running.set(request.id, work);
  }

  private async create(request: GroupRequest, identity: CreationIdentity): Promise<GroupRequest> {
    const { deps } = this.ctx;
    let outcome: GroupRequest;
    try {
      const writer = deps.writerFor(identity);
      outcome = await runCreation(request, writer, {
        store: deps.store,
        now: () => this.ctx.now(),
        checkpoint: deps.checkpoint,
        approverAsOwner: deps.approverAsOwner,
        nicknameTakenByAnotherGroup: (nickname, uniqueName) => deps.directory.mailNicknameInUse(nickname, uniqueName),
      });
    } catch (error) {
      deps.onBackgroundError?.(error, request);
      const fresh = (await deps.store.get(request.id)) ?? request;
      if (fresh.status !== 'creating') return fresh;
      const message =
        error instanceof DirectoryError
          ? error.message
          : 'Something unexpected stopped the creation; the bot logged the details. Retry finishes it without creating the group twice.';
      const code = error instanceof DirectoryError ? error.code : 'unexpected';
      const permanent = error instanceof DirectoryError && error.permanent;
      outcome = await recordEvent(deps.store, fresh, { type: 'fail', code, message, permanent }, this.ctx.now());
    }
    return outcome;
  }
}
