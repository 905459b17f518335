import { approvalCard, requestStatusCard } from '../../src/cards/requestCards';
import type { GroupRequest } from '../../src/requests/groupRequest';
import { cardText } from '../support/teamsChannel';

const requester = { aadObjectId: 'r', name: 'Megan Bowen' };

const request: GroupRequest = {
  id: 'K7QX2M9P',
  version: 2,
  status: 'creating',
  spec: {
    preset: 'custom',
    displayName: 'Sales EMEA',
    mailNickname: 'sales-emea',
    description: '',
    membershipType: 'assigned',
    members: ['alexw@contoso.com'],
    owners: [],
    justification: 'Quarterly planning',
  },
  members: [{ id: 'u1', displayName: 'Alex Wilber', reference: 'alexw@contoso.com', kind: 'user' }],
  owners: [],
  requester,
  approver: { aadObjectId: 'a', name: 'Adele Vance' },
  tenantId: 't',
  cards: {},
  audit: [{ at: '2026-11-25T09:00:00.000Z', actor: requester, action: 'submitted', to: 'submitted' }],
  createdAt: '2026-11-25T09:00:00.000Z',
  updatedAt: '2026-11-25T09:00:00.000Z',
};

describe('drawing the same card again', () => {
  it('gives each caller a card of its own: what one changes never shows on the next', () => {
    const first = approvalCard(request);
    const pristine = JSON.parse(JSON.stringify(first)) as object;
    (first.body as unknown[]).push({ type: 'TextBlock', text: 'Only for the first viewer' });
    first.refresh = { userIds: ['someone'] };
    const second = approvalCard(request);
    expect(second).toEqual(pristine);
    expect(cardText(second)).not.toMatch(/Only for the first viewer/);
    (second.body as unknown[]).length = 0;
    expect(approvalCard(request)).toEqual(pristine);
  });

  it('draws the request as it now stands once it changed', () => {
    expect(cardText(requestStatusCard(request))).toMatch(/creating the group/);
    const created = { ...request, version: 3, status: 'created' as const, group: { id: 'g-1', displayName: 'Sales EMEA' } };
    expect(cardText(requestStatusCard(created))).toMatch(/Created, approved by Adele Vance/);
    expect(cardText(requestStatusCard(request))).toMatch(/creating the group/);
  });
});
