import { badRequest, notFound } from './graphError';
import type { DirectoryObject, DirectoryStore, LinkProperty } from './store';

/**
 * References to directory objects as Graph takes them in `members@odata.bind`, `owners@odata.bind`
 * and `{"@odata.id": …}`: https://graph.microsoft.com/v1.0/directoryObjects/{id}, or …/users/{id},
 * …/servicePrincipals/{id}, …/groups/{id}, …/devices/{id}.
 */

const COLLECTIONS: Record<string, DirectoryObject['type'] | 'any'> = {
  directoryobjects: 'any',
  users: 'user',
  serviceprincipals: 'servicePrincipal',
  groups: 'group',
  devices: 'device',
};

const OWNER_TYPES: readonly DirectoryObject['type'][] = ['user', 'servicePrincipal'];

export function resolveReference(reference: unknown, property: LinkProperty, store: DirectoryStore): DirectoryObject {
  const invalid = () => badRequest(`Invalid URL format specified in @odata.bind for ${property}`);
  if (typeof reference !== 'string') throw invalid();
  let url: URL;
  try {
    url = new URL(reference);
  } catch {
    throw invalid();
  }
  const segments = url.pathname.split('/').filter(Boolean);
  const [version, collection, id] = segments;
  const expectedType = collection === undefined ? undefined : COLLECTIONS[collection.toLowerCase()];
  if (segments.length !== 3 || !/^(v1\.0|beta)$/.test(version) || !expectedType) throw invalid();
  const object = store.object(decodeURIComponent(id));
  if (!object || (expectedType !== 'any' && object.type !== expectedType)) throw notFound(id);
  if (property === 'owners' && !OWNER_TYPES.includes(object.type)) {
    throw badRequest(`A ${object.type} cannot own a group; owners are users or service principals ('${id}').`);
  }
  return object;
}
