import type { AuthenticateCaller } from '../callerIdentity';
import { GRAPH_AUDIENCE } from './graphResource';
import { type SigningKey, readToken } from './jsonWebToken';

/**
 * What the Graph directory emulator uses to know who calls it: a Graph access token this
 * authority signed, unexpired, issued by it. Anything else is unauthenticated.
 */
export function createCallerAuthenticator(key: Pick<SigningKey, 'kid' | 'publicKey'>, issuer: string): AuthenticateCaller {
  return (authorization) => {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '');
    if (!match?.[1]) return undefined;
    const reading = readToken(match[1], key, Math.floor(Date.now() / 1000));
    if (!reading.valid) return undefined;
    const { aud, iss, tid, oid, appid, azp, idtyp } = reading.claims;
    const appId = appid ?? azp;
    if (aud !== GRAPH_AUDIENCE || iss !== issuer || typeof tid !== 'string' || typeof appId !== 'string') return undefined;
    if (idtyp === 'app') return { appId, tenantId: tid, kind: 'app' };
    return typeof oid === 'string' ? { oid, appId, tenantId: tid, kind: 'user' } : undefined;
  };
}
