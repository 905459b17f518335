import type { TokenCredential } from '@azure/core-auth';
import type { AuthenticateCaller } from '../../src/dev/callerIdentity';
import { TENANT_ID } from '../../src/dev/fixtures/wellKnown';
import { startGraphEmulator, type RunningGraphEmulator } from '../../src/dev/graphEmulator';
import type { RetryOptions } from '../../src/graph/retryPolicy';

/**
 * Tokens for these tests are plain strings naming the caller ("user:<oid>", "app:<appId>");
 * the emulator reads them through this AuthenticateCaller, as it reads real ones through the
 * local token service's.
 */
export const authenticateTestCaller: AuthenticateCaller = (authorization) => {
  const match = /^Bearer (user|app):([0-9a-f-]{36})$/i.exec(authorization ?? '');
  if (!match) return undefined;
  return match[1] === 'user'
    ? { kind: 'user', oid: match[2], appId: '7764627f-bd4c-4c13-b15d-841faa3d20dd', tenantId: TENANT_ID }
    : { kind: 'app', appId: match[2], tenantId: TENANT_ID };
};

export function credentialFor(kind: 'user' | 'app', id: string): TokenCredential {
  return { getToken: async () => ({ token: `${kind}:${id}`, expiresOnTimestamp: Date.now() + 3_600_000 }) };
}

/** Short waits so retries take milliseconds; Retry-After is still honoured as Graph sends it. */
export const FAST_RETRY: Partial<RetryOptions> = { maxAttempts: 5, baseDelayMs: 5, maxDelayMs: 5_000, timeoutMs: 2_000 };

export function startTestEmulator(): Promise<RunningGraphEmulator> {
  return startGraphEmulator({ authenticate: authenticateTestCaller });
}

/** Round trips to Graph since the last reset, and how many of them were JSON batches. */
export async function roundTrips(emulator: RunningGraphEmulator) {
  const requests = await emulator.controls.requests();
  return {
    total: requests.length,
    batches: requests.filter((request) => request.url === '/$batch').length,
    requests,
  };
}
