/** Work the bot does after answering, kept track of so shutdown (and tests) can wait for it. */
export class BackgroundWork {
  private readonly pending = new Set<Promise<unknown>>();

  run(work: Promise<unknown>): void {
    const tracked = work.finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  async settled(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }
}
