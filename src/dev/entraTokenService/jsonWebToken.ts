import { type KeyObject, createHash, generateKeyPairSync, sign, verify } from 'node:crypto';

/** Claims of a token this authority issues; only the ones it reads are named. */
export interface TokenClaims {
  aud: string;
  iss: string;
  tid: string;
  exp: number;
  nbf: number;
  iat: number;
  oid?: string;
  appid?: string;
  azp?: string;
  idtyp?: 'app' | 'user';
  [claim: string]: unknown;
}

/** Why a token was not accepted, in the order the checks are made. */
export type TokenRejection = 'malformed' | 'signature' | 'expired' | 'not_yet_valid';

export type TokenReading = { valid: true; claims: TokenClaims } | { valid: false; reason: TokenRejection };

/** The RS256 key pair tokens are signed with; `kid` is its thumbprint, as Entra's keys are named. */
export interface SigningKey {
  kid: string;
  publicKey: KeyObject;
  sign(claims: TokenClaims): string;
}

const base64url = (value: Buffer | string): string => Buffer.from(value).toString('base64url');

export function createSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64url');
  return {
    kid,
    publicKey,
    sign(claims) {
      const signingInput = `${base64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid }))}.${base64url(JSON.stringify(claims))}`;
      return `${signingInput}.${sign('sha256', Buffer.from(signingInput), privateKey).toString('base64url')}`;
    },
  };
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Checks a compact JWS against `key` and its validity window (with a little clock skew allowed). */
export function readToken(token: string, key: Pick<SigningKey, 'kid' | 'publicKey'>, nowSeconds: number): TokenReading {
  const parts = token.split('.');
  if (parts.length !== 3) return { valid: false, reason: 'malformed' };
  const [header, payload, signature] = parts as [string, string, string];
  const headerJson = decodeJson(header);
  const claims = decodeJson(payload);
  if (!headerJson || !claims || typeof claims.exp !== 'number') return { valid: false, reason: 'malformed' };
  if (headerJson.alg !== 'RS256' || headerJson.kid !== key.kid) return { valid: false, reason: 'signature' };
  if (!verify('sha256', Buffer.from(`${header}.${payload}`), key.publicKey, Buffer.from(signature, 'base64url'))) {
    return { valid: false, reason: 'signature' };
  }
  const skewSeconds = 60;
  if (claims.exp + skewSeconds <= nowSeconds) return { valid: false, reason: 'expired' };
  if (typeof claims.nbf === 'number' && claims.nbf - skewSeconds > nowSeconds) return { valid: false, reason: 'not_yet_valid' };
  return { valid: true, claims: claims as TokenClaims };
}
