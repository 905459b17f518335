import { type TokenEndpointAnswer, entraError } from './entraError';

/**
 * What a tenant's Conditional Access asks of one user's sign-ins, as Entra reports it:
 * `mfa` is satisfied by a token whose `amr` names `mfa` (AADSTS50076); `block` by nothing
 * (AADSTS53003), the sign-in page included.
 */
export type AccessPolicy = 'mfa' | 'block';

/** The claims challenge Entra puts beside an interaction_required answer. */
const MFA_CHALLENGE = JSON.stringify({ access_token: { capolids: { essential: true, values: ['local-mfa-policy'] } } });

/** Whether the policy lets a token with these `amr` values through; undefined when it does. */
export function refusedByPolicy(policy: AccessPolicy | undefined, amr: unknown): TokenEndpointAnswer | undefined {
  if (!policy) return undefined;
  if (policy === 'block') {
    return entraError(
      400,
      'interaction_required',
      53003,
      'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.',
    );
  }
  if (Array.isArray(amr) && amr.includes('mfa')) return undefined;
  const answer = entraError(
    400,
    'interaction_required',
    50076,
    "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access 'Microsoft Graph'.",
  );
  return { ...answer, body: { ...answer.body, suberror: 'basic_action', claims: MFA_CHALLENGE } };
}

/** The `amr` an interactive sign-in records: the password, and the second factor when a policy asked for it. */
export function interactiveAmr(policy: AccessPolicy | undefined): string[] {
  return policy === 'mfa' ? ['pwd', 'mfa'] : ['pwd'];
}
