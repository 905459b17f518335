import { objectIdOf, sameObjectId } from './activityIdentity';

/** Whom a token is for: the claims the bot checks before using it. */
export interface TokenAudience {
  /** Accepted `aud` values, compared without regard to case. */
  audiences: readonly string[];
  tenantId: string;
  /** The clicker's object id: a token for anyone else is not theirs to use. */
  oid: string;
}

function payloadOf(token: string): Record<string, unknown> | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Why a token may not be used by this clicker, in words for them; undefined when it may. Only the
 * claims are read: Entra checks the signature when the token is exchanged, Graph when it is used.
 */
export function tokenRefusal(token: string, expected: TokenAudience): string | undefined {
  const claims = payloadOf(token);
  if (!claims) return 'Teams sent a sign-in that is not a token, so nothing was changed.';
  const audience = typeof claims.aud === 'string' ? claims.aud : '';
  if (!expected.audiences.some((accepted) => accepted.toLowerCase() === audience.toLowerCase())) {
    return `Your sign-in was issued for another application (${audience || 'none named'}), not for this bot, so nothing was changed.`;
  }
  if (typeof claims.tid !== 'string' || !sameObjectId(claims.tid, expected.tenantId)) {
    return `Your sign-in belongs to another Microsoft Entra tenant (${String(claims.tid)}), so nothing was changed.`;
  }
  const oid = objectIdOf(claims.oid);
  if (!oid || !sameObjectId(oid, expected.oid)) {
    return 'Your sign-in belongs to another account than the one that clicked in Teams, so nothing was changed. Sign in to Teams with your own account and click again.';
  }
  return undefined;
}

/** When a token lapses (its `exp`), in milliseconds since the epoch; 0 when it names none. */
export function expiryOf(token: string): number {
  const exp = payloadOf(token)?.exp;
  return typeof exp === 'number' ? exp * 1000 : 0;
}
