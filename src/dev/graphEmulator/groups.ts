import type { GraphRequestContext } from './context';
import type { FilterableProperty } from './filterParser';
import { badRequest, notFound, referencesAlreadyExist, referencesDoNotExist } from './graphError';
import { resolveReference } from './odataBind';
import { listPage, parseSelect, project, type ResourceCatalog } from './odataQuery';
import { assertMayCreateGroup, assertMayManageLinks } from './permissions';
import type { Router } from './router';
import { groupProperties, type GroupRecord, type LinkProperty, type PropertyBag } from './store';
import { validateNewGroup, validatePatch } from './groupValidation';
import { DEVICE_CATALOG } from './devices';
import { SERVICE_PRINCIPAL_CATALOG } from './servicePrincipals';
import { USER_CATALOG } from './users';

const text: FilterableProperty = { type: 'string', operators: ['eq', 'in', 'startswith'] };

const GROUP_PROPERTIES = [
  'id',
  'createdDateTime',
  'description',
  'displayName',
  'groupTypes',
  'isAssignableToRole',
  'mail',
  'mailEnabled',
  'mailNickname',
  'membershipRule',
  'membershipRuleProcessingState',
  'securityEnabled',
  'uniqueName',
  'visibility',
];

export const GROUP_CATALOG: ResourceCatalog = {
  resource: 'Group',
  odataType: '#microsoft.graph.group',
  selectable: GROUP_PROPERTIES,
  defaultSelect: GROUP_PROPERTIES,
  filterable: {
    id: { type: 'string', operators: ['eq', 'in'] },
    displayName: text,
    mailNickname: text,
    uniqueName: { type: 'string', operators: ['eq', 'in'] },
    securityEnabled: { type: 'boolean', operators: ['eq'] },
    mailEnabled: { type: 'boolean', operators: ['eq'] },
  },
};

/** members and owners mix object types; $select may name any of their properties. */
const DIRECTORY_OBJECT_CATALOG: ResourceCatalog = {
  resource: 'DirectoryObject',
  odataType: '#microsoft.graph.directoryObject',
  selectable: [
    ...new Set([...USER_CATALOG.selectable, ...DEVICE_CATALOG.selectable, ...SERVICE_PRINCIPAL_CATALOG.selectable, ...GROUP_PROPERTIES]),
  ],
  defaultSelect: ['id', 'displayName'],
  filterable: { id: { type: 'string', operators: ['eq', 'in'] } },
};

/**
 * The group a call names by id. While a new group replicates, a read misses it (404) and a
 * link write is refused as naming an object that does not exist (400), as Entra answers then.
 */
export function existingGroup({ store, params }: GraphRequestContext, use: 'read' | 'write' = 'read'): GroupRecord {
  const group = store.group(params.id);
  if (!group) throw notFound(params.id);
  if (store.replicating(group)) throw use === 'read' ? notFound(params.id) : referencesDoNotExist();
  return group;
}

function listLinks(context: GraphRequestContext, property: LinkProperty) {
  const group = existingGroup(context);
  const objects = [...group[property]].flatMap((id) => {
    const object = context.store.object(id);
    return object ? [{ ...object.properties, '@odata.type': `#microsoft.graph.${object.type}` } as PropertyBag] : [];
  });
  return listPage(context, objects, DIRECTORY_OBJECT_CATALOG, 'directoryObjects', (item, select) => ({
    '@odata.type': item['@odata.type'],
    ...Object.fromEntries(select.filter((name) => name in item).map((name) => [name, item[name]])),
  }));
}

function addReference(context: GraphRequestContext, property: LinkProperty) {
  const group = existingGroup(context, 'write');
  assertMayManageLinks(context.caller, context.store, group);
  const reference = (context.body as Record<string, unknown> | undefined)?.['@odata.id'];
  if (reference === undefined) throw badRequest("A value is required for property '@odata.id'.", 'BadRequest');
  const object = resolveReference(reference, property, context.store);
  if (property === 'members' && group.groupTypes.includes('DynamicMembership')) {
    throw badRequest('Members cannot be added to a group with dynamic membership; its rule decides them.');
  }
  if (group[property].has(object.id)) throw referencesAlreadyExist(property);
  context.store.addLinks(group.id, property, [object.id]);
  return { status: 204 };
}

const mailDomain = (context: GraphRequestContext) => context.store.tenant.domains[0];

/** 201 with the new group, as POST /groups and a creating upsert answer. */
export function createdAnswer(context: GraphRequestContext, created: GroupRecord) {
  const { versionRoot } = context;
  return {
    status: 201,
    headers: { Location: `${versionRoot}/groups/${created.id}` },
    body: { '@odata.context': `${versionRoot}/$metadata#groups/$entity`, ...groupProperties(created, mailDomain(context)) },
  };
}

/** A group as GET answers it, with the caller's $select. */
export function groupAnswer(context: GraphRequestContext, group: GroupRecord) {
  return { status: 200, body: project(groupProperties(group, mailDomain(context)), parseSelect(context.query, GROUP_CATALOG)) };
}

export function addGroupRoutes(router: Router): void {
  router
    .add('POST', '/groups', (context) => {
      const { store, caller, body } = context;
      const roleAssignable = (body as Record<string, unknown> | undefined)?.isAssignableToRole === true;
      assertMayCreateGroup(caller, store, roleAssignable);
      const { group, owners, members } = validateNewGroup(body, store);
      const created = store.createGroup(
        group,
        { owners: owners.map((owner) => owner.id), members: members.map((member) => member.id) },
        caller,
      );
      return createdAnswer(context, created);
    })
    .add('GET', '/groups', (context) =>
      listPage(
        context,
        context.store
          .groups()
          .filter((group) => !context.store.replicating(group))
          .map((group) => groupProperties(group, mailDomain(context))),
        GROUP_CATALOG,
        'groups',
      ),
    )
    .add('GET', '/groups/{id}', (context) => groupAnswer(context, existingGroup(context)))
    .add('PATCH', '/groups/{id}', (context) => {
      const group = existingGroup(context, 'write');
      assertMayManageLinks(context.caller, context.store, group);
      const { changes, members } = validatePatch(context.body, group, context.store);
      Object.assign(group, changes);
      context.store.addLinks(
        group.id,
        'members',
        members.map((member) => member.id),
      );
      return { status: 204 };
    })
    .add('GET', '/groups/{id}/members', (context) => listLinks(context, 'members'))
    .add('GET', '/groups/{id}/owners', (context) => listLinks(context, 'owners'))
    .add('GET', '/groups/{id}/transitiveMembers/microsoft.graph.user', (context) =>
      listPage(context, context.store.transitiveUsers(existingGroup(context).id), USER_CATALOG, 'users'),
    )
    .add('POST', '/groups/{id}/members/$ref', (context) => addReference(context, 'members'))
    .add('POST', '/groups/{id}/owners/$ref', (context) => addReference(context, 'owners'));
}
