import type { DirectoryPrincipal } from '../requests/groupRequest';
import type { PrincipalLookup } from '../requests/directory';
import { succeeded, type GraphTransport } from './graphTransport';
import { inList, queryString } from './odataText';
import { isObjectId } from '../requests/objectIds';

/**
 * UPNs or mail addresses to users, in as few round trips as Graph allows: Graph accepts at most
 * 15 expressions in a filter (each value of an `in` counts), so one query asks for 7 references
 * as userPrincipalName and as mail (14 expressions); the queries go 20 to a JSON batch.
 */

export const REFERENCES_PER_QUERY = 7;
/** Object ids (from Teams' people picker) are asked for by id alone: 15 to a query. */
export const IDS_PER_QUERY = 15;

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

/** Distinct lower-cased keys in groups of `size`. */
function chunks(keys: readonly string[], size: number): string[][] {
  const distinct = [...new Set(keys)];
  const groups: string[][] = [];
  for (let i = 0; i < distinct.length; i += size) groups.push(distinct.slice(i, i + size));
  return groups;
}

const SELECT = 'id,displayName,userPrincipalName,mail,userType,accountEnabled';

export async function resolveUsers(transport: GraphTransport, references: readonly string[]): Promise<PrincipalLookup> {
  const keys = references.map((reference) => reference.trim().toLowerCase());
  const filters = [
    ...chunks(keys.filter(looksLikeAddress), REFERENCES_PER_QUERY).map(
      (values) => `${inList('userPrincipalName', values)} or ${inList('mail', values)}`,
    ),
    ...chunks(keys.filter(isObjectId), IDS_PER_QUERY).map((values) => inList('id', values)),
  ];
  const results = await transport.batch(
    filters.map(($filter) => ({ method: 'GET' as const, url: `/users${queryString({ $filter, $select: SELECT, $top: 999 })}` })),
    'resolveUsers',
  );
  const byKey = new Map<string, UserHit>();
  for (const result of results) {
    if (!succeeded(result)) throw transport.partError(result, 'resolveUsers');
    for (const user of (result.body as { value: UserHit[] }).value) {
      byKey.set(user.id.toLowerCase(), user);
      byKey.set(user.userPrincipalName.toLowerCase(), user);
      if (user.mail && !byKey.has(user.mail.toLowerCase())) byKey.set(user.mail.toLowerCase(), user);
    }
  }

  const found: DirectoryPrincipal[] = [];
  const foundIds = new Set<string>();
  const missing: string[] = [];
  for (const reference of references) {
    const user = byKey.get(reference.trim().toLowerCase());
    if (!user) {
      missing.push(reference);
    } else if (!foundIds.has(user.id)) {
      // Two references to one user (UPN and mail, or a picked id) make one principal, named as
      // first typed; a picked person is named by their user principal name.
      foundIds.add(user.id);
      found.push({
        id: user.id,
        displayName: user.displayName,
        reference: isObjectId(reference.trim()) ? user.userPrincipalName : reference,
        kind: 'user',
        ...(user.userType === 'Guest' ? { guest: true } : {}),
        ...(user.accountEnabled === false ? { disabled: true } : {}),
      });
    }
  }
  return { found, missing };
}
