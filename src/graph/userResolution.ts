import type { DirectoryPrincipal } from '../requests/groupRequest';
import type { PrincipalLookup } from '../requests/directory';
import { succeeded, type GraphTransport } from './graphTransport';
import { inList, queryString } from './odataText';

/**
 * UPNs or mail addresses to users, in as few round trips as Graph allows: Graph accepts at most
 * 15 expressions in a filter (each value of an `in` counts), so one query asks for 7 references
 * as userPrincipalName and as mail (14 expressions); the queries go 20 to a JSON batch.
 */

export const REFERENCES_PER_QUERY = 7;

interface UserHit {
  id: string;
  displayName: string;
  userPrincipalName: string;
  mail: string | null;
  userType?: string | null;
  accountEnabled?: boolean | null;
}

/** Anything without an @ cannot be a UPN or an address; it is reported missing without asking Graph. */
const looksLikeAddress = (reference: string) => /^[^@\s]+@[^@\s]+$/.test(reference.trim());

export async function resolveUsers(transport: GraphTransport, references: readonly string[]): Promise<PrincipalLookup> {
  const byKey = new Map<string, string>();
  for (const reference of references) {
    const key = reference.trim().toLowerCase();
    if (looksLikeAddress(reference) && !byKey.has(key)) byKey.set(key, reference);
  }
  const keys = [...byKey.keys()];
  const queries: string[][] = [];
  for (let i = 0; i < keys.length; i += REFERENCES_PER_QUERY) queries.push(keys.slice(i, i + REFERENCES_PER_QUERY));

  const results = await transport.batch(
    queries.map((values) => ({
      method: 'GET' as const,
      url: `/users${queryString({
        $filter: `${inList('userPrincipalName', values)} or ${inList('mail', values)}`,
        $select: 'id,displayName,userPrincipalName,mail,userType,accountEnabled',
        $top: 999,
      })}`,
    })),
    'resolveUsers',
  );
  const byUpn = new Map<string, UserHit>();
  const byMail = new Map<string, UserHit>();
  for (const result of results) {
    if (!succeeded(result)) throw transport.partError(result, 'resolveUsers');
    for (const user of (result.body as { value: UserHit[] }).value) {
      byUpn.set(user.userPrincipalName.toLowerCase(), user);
      if (user.mail) byMail.set(user.mail.toLowerCase(), user);
    }
  }

  const found: DirectoryPrincipal[] = [];
  const foundIds = new Set<string>();
  const missing: string[] = [];
  for (const reference of references) {
    const key = reference.trim().toLowerCase();
    const user = byUpn.get(key) ?? byMail.get(key);
    if (!user) {
      missing.push(reference);
    } else if (!foundIds.has(user.id)) {
      // Two references to one user (UPN and mail) make one principal, named as first typed.
      foundIds.add(user.id);
      found.push({
        id: user.id,
        displayName: user.displayName,
        reference,
        kind: 'user',
        ...(user.userType === 'Guest' ? { guest: true } : {}),
        ...(user.accountEnabled === false ? { disabled: true } : {}),
      });
    }
  }
  return { found, missing };
}
