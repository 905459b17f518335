/** The audience of every access token this authority issues: it only stands in for Microsoft Graph. */
export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';

const GRAPH_RESOURCE_IDS = [GRAPH_AUDIENCE, '00000003-0000-0000-c000-000000000000'];
/** Scopes MSAL adds to user flows; they ask for an id token, not for a resource. */
const OPENID_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

export type ScopeRequest =
  { kind: 'graph_default' } | { kind: 'missing' } | { kind: 'other_resource'; resource: string } | { kind: 'not_default'; scope: string };

/** Reads an OAuth `scope` parameter: this authority grants only Graph's `/.default`. */
export function readScopeRequest(scopeParameter: string | null): ScopeRequest {
  const resourceScopes = (scopeParameter ?? '').split(' ').filter((scope) => scope && !OPENID_SCOPES.has(scope));
  if (resourceScopes.length === 0) return { kind: 'missing' };
  for (const scope of resourceScopes) {
    const cut = scope.lastIndexOf('/');
    // A bare permission name ("User.Read") means Graph, as it does for Entra.
    if (cut < 0) return { kind: 'not_default', scope };
    const resource = scope.slice(0, cut);
    if (!GRAPH_RESOURCE_IDS.includes(resource.toLowerCase())) return { kind: 'other_resource', resource };
    if (scope.slice(cut + 1) !== '.default') return { kind: 'not_default', scope };
  }
  return { kind: 'graph_default' };
}
