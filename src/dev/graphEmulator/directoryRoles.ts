import { createHash } from 'node:crypto';
import { notFound } from './graphError';
import { listPage, type ResourceCatalog } from './odataQuery';
import type { PropertyBag } from './store';
import type { Router } from './router';

/**
 * Directory roles as `GET /users/{id}/transitiveMemberOf/microsoft.graph.directoryRole` lists
 * them: the activated roles a user holds, directly or through a role-assignable group. The
 * fixture names roles; their template ids are Entra's built-in ones.
 */

const TEMPLATE_IDS: Record<string, string> = {
  'Global Administrator': '62e90394-69f5-4237-9190-012177145e10',
  'Groups Administrator': 'fdd7a751-b60b-444a-984c-02652fe8fa1c',
  'Intune Administrator': '3a2c62db-5318-420d-8d74-23affee5d9d5',
  'User Administrator': 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  'Privileged Role Administrator': 'e8611ab8-c189-46e8-94e1-60213ab1f814',
};

/** A stable GUID-shaped id for a role the table above does not know. */
function madeUpId(role: string): string {
  const hex = createHash('sha256').update(role).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

const DIRECTORY_ROLE_CATALOG: ResourceCatalog = {
  resource: 'DirectoryRole',
  odataType: '#microsoft.graph.directoryRole',
  selectable: ['id', 'displayName', 'description', 'roleTemplateId'],
  defaultSelect: ['id', 'displayName', 'description', 'roleTemplateId'],
  filterable: {},
};

function directoryRole(role: string): PropertyBag {
  const templateId = TEMPLATE_IDS[role] ?? madeUpId(role);
  // In a tenant the activated role's id differs from its template's; derive one from it.
  return { id: madeUpId(`activated:${templateId}`), displayName: role, description: null, roleTemplateId: templateId };
}

export function addDirectoryRoleRoutes(router: Router): void {
  router.add('GET', '/users/{id}/transitiveMemberOf/microsoft.graph.directoryRole', (context) => {
    const user = context.store.user(context.params.id);
    if (!user) throw notFound(context.params.id);
    const roles = context.store.transitiveRolesOf(user.id).map(directoryRole);
    return listPage(context, roles, DIRECTORY_ROLE_CATALOG, 'directoryRoles', (item, select) => ({
      '@odata.type': DIRECTORY_ROLE_CATALOG.odataType,
      ...Object.fromEntries(select.map((name) => [name, item[name] ?? null])),
    }));
  });
}
