import { FormDrafts, INLINE_MEMBERS_CHARS } from '../../src/requests/formDrafts';
import { InMemoryRequestStore } from './fakes/inMemoryRequestStore';

/** What a form sends, completed from the draft its card carries: what the card did not show comes back. */

const megan = { aadObjectId: 'a1b2c3d4-0000-4000-8000-000000000001', name: 'Megan Bowen' };
const longList = Array.from({ length: Math.ceil(INLINE_MEMBERS_CHARS / 20) + 1 }, (_, i) => `person${i}@contoso.com`).join(', ');

describe('a form completed from its draft', () => {
  it('gets back the members typed before the form turned dynamic, which its card did not show', async () => {
    const drafts = new FormDrafts(new InMemoryRequestStore());
    const id = await drafts.keep(megan, { preset: 'custom', membershipType: 'assigned', members: 'alexw@contoso.com', displayName: 'Old' });
    const sent = { preset: 'custom', membershipType: 'dynamic', displayName: 'New', membershipRule: 'user.city -eq "Oslo"' };
    expect(await drafts.complete(sent, id, megan)).toEqual({ ...sent, members: 'alexw@contoso.com' });
  });

  it('keeps a short members box the requester cleared empty, and fills an empty box from a long list kept in the draft', async () => {
    const drafts = new FormDrafts(new InMemoryRequestStore());
    const short = await drafts.keep(megan, { membershipType: 'assigned', members: 'alexw@contoso.com' });
    expect((await drafts.complete({ membershipType: 'assigned', members: '' }, short, megan)).members).toBe('');
    const long = await drafts.keep(megan, { membershipType: 'assigned', members: longList });
    expect((await drafts.complete({ membershipType: 'assigned', members: '' }, long, megan)).members).toBe(longList);
  });

  it("never completes a form from someone else's draft", async () => {
    const drafts = new FormDrafts(new InMemoryRequestStore());
    const id = await drafts.keep(megan, { membershipType: 'assigned', members: longList });
    const other = { aadObjectId: 'a1b2c3d4-0000-4000-8000-000000000002', name: 'Lee Gu' };
    expect(await drafts.complete({ membershipType: 'dynamic' }, id, other)).toEqual({ membershipType: 'dynamic' });
  });
});
