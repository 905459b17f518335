import type { CardLocations } from '../requests/groupRequest';

/** A request's entity as last seen: its ETag, and the card locations it held. */
export interface SeenEntity {
  etag: string;
  cards: CardLocations;
}

/**
 * Which ETag each (request, version) was last seen with, and the card locations it held: it lets
 * `replace` after a `get` skip a read. Recording a card's location changes the ETag, not the
 * version, so a remembered ETag may be stale; the write then fails and reads again. Bounded:
 * oldest entries go first.
 */
export class EtagMemo {
  private readonly etags = new Map<string, SeenEntity>();

  constructor(private readonly capacity = 1000) {}

  remember(id: string, version: number, etag: string | undefined, cards: CardLocations): void {
    if (etag === undefined) return;
    const key = keyOf(id, version);
    this.etags.delete(key);
    this.etags.set(key, { etag, cards });
    if (this.etags.size > this.capacity) {
      this.etags.delete(this.etags.keys().next().value!);
    }
  }

  recall(id: string, version: number): SeenEntity | undefined {
    return this.etags.get(keyOf(id, version));
  }
}

function keyOf(id: string, version: number): string {
  return `${version}\u0000${id}`;
}
