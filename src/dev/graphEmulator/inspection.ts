import type { Caller } from '../callerIdentity';
import type { GroupRecord } from './store';

/** A group as the test controls show it: Graph's properties plus its links and who created it. */
export type InspectedGroup = Omit<GroupRecord, 'members' | 'owners' | 'createdBy'> & {
  members: string[];
  owners: string[];
  /** Absent for groups seeded from the fixture. */
  createdBy?: Caller;
};

export function inspectGroup(group: GroupRecord): InspectedGroup {
  const { members, owners, createdBy, ...properties } = group;
  return { ...properties, members: [...members], owners: [...owners], ...(createdBy ? { createdBy } : {}) };
}
