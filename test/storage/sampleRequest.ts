import { randomUUID } from 'node:crypto';
import type { DirectoryPrincipal, GroupRequest } from '../../src/requests/groupRequest';

export interface SampleRequestOptions {
  requesterId?: string;
  createdAt?: string;
  memberCount?: number;
}

/** A submitted request as the bot stores it, with `memberCount` resolved members (default 3). */
export function sampleRequest(options: SampleRequestOptions = {}): GroupRequest {
  const id = randomUUID();
  const createdAt = options.createdAt ?? new Date().toISOString();
  const requesterId = options.requesterId ?? randomUUID();
  const members = Array.from({ length: options.memberCount ?? 3 }, (_, index) => samplePrincipal(index));
  const owner: DirectoryPrincipal = {
    id: randomUUID(),
    displayName: 'Zoë Ångström 🚀',
    reference: 'zoe.angstrom@contoso.example',
    kind: 'user',
  };
  return {
    id,
    version: 1,
    status: 'submitted',
    spec: {
      preset: 'custom',
      displayName: `SG-Finance-${id.slice(0, 8)}`,
      mailNickname: `sg-finance-${id.slice(0, 8)}`,
      description: 'Finance team "quarter close" group — ünïcödé and quotes',
      membershipType: 'assigned',
      members: members.map((member) => member.reference),
      owners: [owner.reference],
      justification: 'Quarter close needs a shared group.',
    },
    members,
    owners: [owner],
    requester: { aadObjectId: requesterId, name: 'Ada Lovelace' },
    tenantId: '6a0e4f2c-9b1d-4e3a-8c7f-5d2b1a0e9c84',
    cards: {
      requesterConversation: { conversation: { id: 'a:1x2y3z' }, serviceUrl: 'https://smba.example/emea/' },
      requesterActivityId: '1700000000000',
    },
    audit: [{ at: createdAt, actor: { aadObjectId: requesterId, name: 'Ada Lovelace' }, action: 'submit', to: 'submitted' }],
    createdAt,
    updatedAt: createdAt,
  };
}

function samplePrincipal(index: number): DirectoryPrincipal {
  const reference = `user${index}.${randomUUID().slice(0, 6)}@contoso.example`;
  return { id: randomUUID(), displayName: `User ${index} Surname${index % 97}`, reference, kind: 'user' };
}

/** A submitted Autopilot pair: the user group of sampleRequest, a device group named apart, owned by the Intune Provisioning Client. */
export function samplePair(options: SampleRequestOptions = {}): GroupRequest {
  const single = sampleRequest(options);
  const suffix = single.id.slice(0, 8);
  return {
    ...single,
    spec: {
      ...single.spec,
      preset: 'autopilotPair',
      deviceGroup: { displayName: `Autopilot DP devices ${suffix}`, mailNickname: `ap-dp-devices-${suffix}` },
    },
    owners: [
      {
        id: randomUUID(),
        displayName: 'Intune Provisioning Client',
        reference: 'f1346770-5b25-470b-88bd-d5744ab7952c',
        kind: 'servicePrincipal',
      },
      ...single.owners,
    ],
  };
}

/** The request one step later, as a state transition would write it. */
export function nextVersionOf(request: GroupRequest, change: Partial<GroupRequest> = {}): GroupRequest {
  const updatedAt = new Date(Date.parse(request.updatedAt) + 1000).toISOString();
  return { ...structuredClone(request), ...change, version: request.version + 1, updatedAt };
}
