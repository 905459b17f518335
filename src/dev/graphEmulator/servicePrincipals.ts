import { notFound } from './graphError';
import { listPage, parseSelect, project, type ResourceCatalog } from './odataQuery';
import type { Router } from './router';

export const SERVICE_PRINCIPAL_CATALOG: ResourceCatalog = {
  resource: 'ServicePrincipal',
  odataType: '#microsoft.graph.servicePrincipal',
  selectable: ['id', 'appId', 'displayName', 'servicePrincipalType', 'accountEnabled', 'appOwnerOrganizationId'],
  defaultSelect: ['id', 'appId', 'displayName', 'servicePrincipalType', 'accountEnabled', 'appOwnerOrganizationId'],
  filterable: {
    id: { type: 'string', operators: ['eq', 'in'] },
    appId: { type: 'string', operators: ['eq', 'in'] },
    displayName: { type: 'string', operators: ['eq', 'in', 'startswith'] },
  },
};

export function addServicePrincipalRoutes(router: Router): void {
  router
    .add('GET', '/servicePrincipals', (context) =>
      listPage(context, context.store.servicePrincipals(), SERVICE_PRINCIPAL_CATALOG, 'servicePrincipals'),
    )
    .add('GET', '/servicePrincipals/{id}', ({ store, params, query }) => {
      const servicePrincipal = store.servicePrincipal(params.id);
      if (!servicePrincipal) throw notFound(params.id);
      return { status: 200, body: project(servicePrincipal, parseSelect(query, SERVICE_PRINCIPAL_CATALOG)) };
    });
}
