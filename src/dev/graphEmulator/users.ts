import type { FilterableProperty } from './filterParser';
import { badRequest, notFound } from './graphError';
import { listPage, parseSelect, project, type ResourceCatalog } from './odataQuery';
import type { Router } from './router';

const text: FilterableProperty = { type: 'string', operators: ['eq', 'in', 'startswith'] };
const flag: FilterableProperty = { type: 'boolean', operators: ['eq'] };

export const USER_CATALOG: ResourceCatalog = {
  resource: 'User',
  odataType: '#microsoft.graph.user',
  selectable: [
    'id',
    'displayName',
    'givenName',
    'surname',
    'userPrincipalName',
    'mail',
    'mailNickname',
    'department',
    'jobTitle',
    'companyName',
    'city',
    'country',
    'usageLocation',
    'officeLocation',
    'accountEnabled',
    'userType',
    'employeeId',
    'employeeHireDate',
    'preferredLanguage',
    'mobilePhone',
    'businessPhones',
    'otherMails',
    'proxyAddresses',
    'onPremisesSyncEnabled',
    'faxNumber',
    'onPremisesDistinguishedName',
    'onPremisesSecurityIdentifier',
    'passwordPolicies',
    'postalCode',
    'state',
    'streetAddress',
    'onPremisesExtensionAttributes',
    'assignedPlans',
  ],
  defaultSelect: [
    'businessPhones',
    'displayName',
    'givenName',
    'jobTitle',
    'mail',
    'mobilePhone',
    'officeLocation',
    'preferredLanguage',
    'surname',
    'userPrincipalName',
    'id',
  ],
  filterable: {
    id: { type: 'string', operators: ['eq', 'in'] },
    userPrincipalName: text,
    mail: text,
    mailNickname: text,
    displayName: text,
    givenName: text,
    surname: text,
    department: text,
    jobTitle: text,
    companyName: text,
    city: text,
    country: text,
    usageLocation: text,
    employeeId: text,
    userType: { type: 'string', operators: ['eq', 'in'] },
    accountEnabled: flag,
  },
};

/** checkMemberGroups takes at most this many group ids. */
const MAX_CHECKED_GROUPS = 20;

export function addUserRoutes(router: Router): void {
  router
    .add('GET', '/users', (context) => listPage(context, context.store.users(), USER_CATALOG, 'users'))
    .add('GET', '/users/{id}', ({ store, params, query }) => {
      const user = store.user(params.id);
      if (!user) throw notFound(params.id);
      return { status: 200, body: project(user, parseSelect(query, USER_CATALOG)) };
    })
    .add('POST', '/users/{id}/checkMemberGroups', ({ store, params, body, versionRoot }) => {
      const user = store.user(params.id);
      if (!user) throw notFound(params.id);
      const groupIds = (body as { groupIds?: unknown } | undefined)?.groupIds;
      if (!Array.isArray(groupIds) || groupIds.some((id) => typeof id !== 'string')) {
        throw badRequest("Invalid value specified for property 'groupIds' of resource 'checkMemberGroups'.");
      }
      if (groupIds.length === 0 || groupIds.length > MAX_CHECKED_GROUPS) {
        throw badRequest(`checkMemberGroups takes between 1 and ${MAX_CHECKED_GROUPS} group ids; ${groupIds.length} were given.`);
      }
      const value = (groupIds as string[]).filter((groupId) => store.isTransitiveMember(user.id, groupId.toLowerCase()));
      return { status: 200, body: { '@odata.context': `${versionRoot}/$metadata#Collection(Edm.String)`, value } };
    });
}
