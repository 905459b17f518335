import { approvalCard } from '../../src/cards/requestCards';
import { requestCheckingCard } from '../../src/cards/requestFormCard';
import { shrinkCard, shrinkText } from '../../src/cards/shrinkCard';
import type { GroupRequest } from '../../src/requests/groupRequest';
import { cardText } from '../support/teamsChannel';
import { MAX_MESSAGE_BYTES, utf16Bytes } from '../support/connectorLimits';

const fits = (value: unknown) => utf16Bytes(JSON.stringify(value)) <= MAX_MESSAGE_BYTES;
const requester = { aadObjectId: 'r', name: 'Megan Bowen' };

function longRequest(): GroupRequest {
  const owners = Array.from({ length: 100 }, (_, i) => ({
    id: `o${i}`,
    displayName: `Owner ${i} ${'x'.repeat(300)}`,
    reference: `owner${i}@contoso.com`,
    kind: 'user' as const,
  }));
  return {
    id: 'K7QX2M9P',
    version: 1,
    status: 'failed',
    spec: {
      preset: 'custom',
      displayName: 'Big',
      mailNickname: 'big',
      description: 'd'.repeat(1024),
      membershipType: 'assigned',
      members: [],
      owners: [],
      justification: 'j'.repeat(1024),
    },
    members: [],
    owners,
    requester,
    tenantId: 't',
    cards: {},
    failure: { code: 'x', message: 'Graph said: '.repeat(4000), at: '2026-11-25T09:00:00.000Z' },
    audit: [],
    createdAt: '2026-11-25T09:00:00.000Z',
    updatedAt: '2026-11-25T09:00:00.000Z',
  };
}

describe('a card too large for Teams', () => {
  it('is left alone when it fits', () => {
    const card = approvalCard({ ...longRequest(), failure: undefined, owners: [] });
    expect(shrinkCard(card, fits)).toEqual(card);
  });

  it('has its longest texts cut, keeps its buttons, and says where the full request is', () => {
    const card = approvalCard(longRequest());
    expect(fits(card)).toBe(false);
    const shrunk = shrinkCard(card, fits);
    expect(fits(shrunk)).toBe(true);
    const text = cardText(shrunk);
    expect(text).toMatch(/^Shortened to fit in Teams\. Say "status K7QX2M9P" to me in a personal chat to see it in full\./);
    expect(text).toContain('Request: K7QX2M9P');
    expect(JSON.stringify(shrunk)).toContain('"verb":"retryRequest"');
  });

  it('keeps only its texts when its data is what is large', () => {
    const card = {
      ...requestCheckingCard('Pilot', 5000, 'FORM1', 'DRAFT1'),
      selectAction: { type: 'Action.Execute', data: { typed: 'x'.repeat(60_000) } },
    };
    const shrunk = shrinkCard(card, fits);
    expect(fits(shrunk)).toBe(true);
    expect(cardText(shrunk)).toMatch(/Shortened to fit in Teams[\s\S]*Pilot\nChecking 5,000 names/);
  });

  it('shortens a long message and points to the request', () => {
    const text = `Creating "Big" (request K7QX2M9P) failed: ${'Graph said no. '.repeat(10000)}`;
    const shrunk = shrinkText(text, fits);
    expect(fits(shrunk)).toBe(true);
    expect(shrunk).toMatch(/^Creating "Big" \(request K7QX2M9P\) failed: Graph said no\./);
    expect(shrunk).toMatch(/Say "status K7QX2M9P" to me in a personal chat to see it in full\.$/);
  });
});
