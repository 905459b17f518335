import type { TokenCredential } from '@azure/core-auth';
import { GroupUpserts } from './groupUpserts';
import type { GraphTransport } from './graphTransport';

/**
 * The group upserts of every writer, kept apart by the credential they are sent with: writers
 * under one credential (the bot's own, in app-only mode) share their $batches, and upserts under
 * different ones (each approver's, in delegated mode) never go in the same batch, which carries one token.
 */
export class UpsertsByCredential {
  private readonly byCredential = new WeakMap<TokenCredential, GroupUpserts>();

  /** `transport` sends with `credential`; the first writer's sends for all the writers under it. */
  for(credential: TokenCredential, transport: GraphTransport): GroupUpserts {
    let upserts = this.byCredential.get(credential);
    if (!upserts) {
      upserts = new GroupUpserts(transport);
      this.byCredential.set(credential, upserts);
    }
    return upserts;
  }
}
