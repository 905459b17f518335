/**
 * Which ETag each (request, version) was written with. A version is written exactly once, so the
 * pair never goes stale: it lets `replace` after a `get` skip a read. Bounded: oldest entries go first.
 */
export class EtagMemo {
  private readonly etags = new Map<string, string>();

  constructor(private readonly capacity = 1000) {}

  remember(id: string, version: number, etag: string | undefined): void {
    if (etag === undefined) return;
    const key = keyOf(id, version);
    this.etags.delete(key);
    this.etags.set(key, etag);
    if (this.etags.size > this.capacity) {
      this.etags.delete(this.etags.keys().next().value!);
    }
  }

  recall(id: string, version: number): string | undefined {
    return this.etags.get(keyOf(id, version));
  }
}

function keyOf(id: string, version: number): string {
  return `${version}\u0000${id}`;
}
