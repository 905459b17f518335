import type { Caller } from '../callerIdentity';
import { insufficientPrivileges } from './graphError';
import type { DirectoryStore, GroupRecord } from './store';

/**
 * Who may write groups. App-only callers are taken to hold consented application permissions;
 * signed-in users need a directory role that manages groups (or, for creation, the tenant's
 * "Users can create security groups" setting), and group owners may manage their group's links.
 */

const GROUP_ADMIN_ROLES = [
  'Global Administrator',
  'Groups Administrator',
  'User Administrator',
  'Intune Administrator',
  'Directory Writers',
];

const ROLE_ASSIGNABLE_GROUP_ROLES = ['Global Administrator', 'Privileged Role Administrator'];

function holdsAny(caller: Caller, store: DirectoryStore, roles: readonly string[]): boolean {
  return caller.oid !== undefined && store.rolesOf(caller.oid).some((role) => roles.includes(role));
}

export function assertMayCreateGroup(caller: Caller, store: DirectoryStore, roleAssignable: boolean): void {
  if (caller.kind === 'app') return;
  if (roleAssignable && !holdsAny(caller, store, ROLE_ASSIGNABLE_GROUP_ROLES)) throw insufficientPrivileges();
  if (store.tenant.usersCanCreateSecurityGroups || holdsAny(caller, store, GROUP_ADMIN_ROLES)) return;
  throw insufficientPrivileges();
}

export function assertMayManageLinks(caller: Caller, store: DirectoryStore, group: GroupRecord): void {
  if (caller.kind === 'app') return;
  if (holdsAny(caller, store, GROUP_ADMIN_ROLES)) return;
  if (caller.oid !== undefined && group.owners.has(caller.oid)) return;
  throw insufficientPrivileges();
}
