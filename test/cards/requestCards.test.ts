import { approvalCard, requestStatusCard } from '../../src/cards/requestCards';
import { requestFormCard } from '../../src/cards/requestFormCard';
import type { GroupRequest } from '../../src/requests/groupRequest';
import { cardText } from '../support/teamsChannel';

const requester = { aadObjectId: 'r', name: 'Megan Bowen' };
const approver = { aadObjectId: 'a', name: 'Adele Vance' };

function request(overrides: Partial<GroupRequest>): GroupRequest {
  return {
    id: 'K7QX2M9P',
    version: 1,
    status: 'submitted',
    spec: {
      preset: 'autopilotDevices',
      displayName: 'Autopilot DP devices',
      mailNickname: 'ap-dp-devices',
      description: '',
      membershipType: 'assigned',
      members: [],
      owners: [],
      justification: 'Device preparation',
    },
    members: [],
    owners: [
      { id: 'sp', displayName: 'Intune Provisioning Client', reference: 'f1346770-5b25-470b-88bd-d5744ab7952c', kind: 'servicePrincipal' },
    ],
    requester,
    tenantId: 't',
    cards: {},
    audit: [{ at: '2026-11-25T09:00:00.000Z', actor: requester, action: 'submitted', to: 'submitted' }],
    createdAt: '2026-11-25T09:00:00.000Z',
    updatedAt: '2026-11-25T09:00:00.000Z',
    ...overrides,
  };
}

const actions = (card: object) =>
  (JSON.stringify(card).match(/"title":"[^"]+","verb":"\w+"/g) ?? []).map((a) => a.split('"verb":"')[1].replace('"', ''));

describe('request cards', () => {
  it('offer Approve and Reject while the request waits, nothing once decided, Retry after a failure', () => {
    expect(actions(approvalCard(request({})))).toEqual(['approveRequest', 'rejectRequest']);
    expect(actions(approvalCard(request({ status: 'rejected', approver, decisionReason: 'No' })))).toEqual([]);
    const failed = approvalCard(
      request({ status: 'failed', approver, failure: { code: 'Throttled', message: 'Graph kept refusing.', at: 'x' } }),
    );
    expect(actions(failed)).toEqual(['retryRequest', 'abandonRequest']);
    expect(cardText(failed)).toMatch(/Creation failed[\s\S]*Graph kept refusing\./);
    const refused = approvalCard(
      request({ status: 'failed', approver, failure: { code: 'Request_BadRequest', message: 'Invalid rule.', at: 'x', permanent: true } }),
    );
    expect(actions(refused)).toEqual(['abandonRequest']);
    expect(cardText(refused)).toMatch(/Invalid rule\. Retrying cannot fix this/);
  });

  it('show the created group with links to the Entra and Intune admin centers', () => {
    const created = request({ status: 'created', approver, group: { id: 'g-1', displayName: 'Autopilot DP devices' } });
    const json = JSON.stringify(requestStatusCard(created));
    expect(json).toContain('https://entra.microsoft.com/#view/Microsoft_AAD_IAM/GroupDetailsMenuBlade/~/Overview/groupId/g-1');
    expect(json).toContain('https://intune.microsoft.com/#view/Microsoft_AAD_IAM/GroupDetailsMenuBlade/~/Overview/groupId/g-1');
    expect(cardText(requestStatusCard(created))).toMatch(/Created, approved by Adele Vance[\s\S]*Owners: Intune Provisioning Client/);
  });

  it('show both groups of the Autopilot pair, which one exists after a failure, and each with its admin centre links', () => {
    const pairSpec = {
      ...request({}).spec,
      preset: 'autopilotPair' as const,
      displayName: 'Autopilot DP users',
      mailNickname: 'ap-dp-users',
      deviceGroup: { displayName: 'Autopilot DP devices', mailNickname: 'ap-dp-devices' },
    };
    const attempt = { number: 1, startedAt: 'x', groupId: 'u-1', addedMembers: [], addedOwners: [] };
    const failed = request({
      spec: pairSpec,
      status: 'failed',
      approver,
      attempt,
      failure: { code: 'serviceNotAvailable', message: 'Graph is down.', at: 'x' },
    });
    const failedText = cardText(approvalCard(failed));
    expect(failedText).toMatch(
      /Device group: Autopilot DP devices \(mail nickname ap-dp-devices\): assigned, starts empty, owned by the Intune/,
    );
    expect(failedText).toContain('User group "Autopilot DP users": object id u-1');
    expect(failedText).toContain('Device group "Autopilot DP devices": not created yet');
    expect(failedText).toContain('[User group in Entra admin center]');
    expect(failedText).not.toContain('[Device group in Entra admin center]');

    const created = request({
      spec: pairSpec,
      status: 'created',
      approver,
      attempt: { ...attempt, deviceGroupId: 'd-1' },
      group: { id: 'u-1', displayName: 'Autopilot DP users' },
      deviceGroup: { id: 'd-1', displayName: 'Autopilot DP devices' },
    });
    const json = JSON.stringify(requestStatusCard(created));
    for (const id of ['u-1', 'd-1']) {
      expect(json).toContain(`https://entra.microsoft.com/#view/Microsoft_AAD_IAM/GroupDetailsMenuBlade/~/Overview/groupId/${id}`);
      expect(json).toContain(`https://intune.microsoft.com/#view/Microsoft_AAD_IAM/GroupDetailsMenuBlade/~/Overview/groupId/${id}`);
    }
    expect(cardText(requestStatusCard(created))).toMatch(/Owners: Intune Provisioning Client, of the device group only/);
  });

  it('let only a waiting request be cancelled, and show its history on request', () => {
    expect(actions(requestStatusCard(request({})))).toEqual(['cancelRequest']);
    expect(actions(requestStatusCard(request({ status: 'creating', approver })))).toEqual([]);
    expect(cardText(requestStatusCard(request({}), '', true))).toMatch(/History[\s\S]*2026-11-25 09:00 UTC: Megan Bowen: submitted/);
    expect(cardText(requestStatusCard(request({})))).not.toMatch(/History/);
  });

  it('keep text as typed, even template-looking text', () => {
    const form = requestFormCard({ displayName: '${evil} "quoted"', members: 'a@b.c' }, { displayName: 'Too long' });
    expect(JSON.stringify(form)).toContain('"value":"${evil} \\"quoted\\""');
    expect(cardText(form)).toMatch(/Some fields need attention[\s\S]*Too long/);
  });
});
