/**
 * Who is calling the local Graph directory emulator, as read from an access token.
 * The token service issues the tokens; the emulator only asks this question of them.
 */
export interface Caller {
  /** The signed-in user's object id; absent for app-only tokens. */
  oid?: string;
  /** The client application's id. */
  appId: string;
  tenantId: string;
  kind: 'user' | 'app';
}

/** Reads an Authorization header; undefined means the caller is not authenticated (401). */
export type AuthenticateCaller = (authorization: string | undefined) => Caller | undefined;
