import type { DirectoryReader } from '../../src/requests/directory';
import { describePreview, previewMembershipRule } from '../../src/requests/rulePreview';

/** A directory of `pages` pages of 100 users, the first 10 of each page in Sales; optionally slow. */
function directory(pages: number, pageDelayMs = 0): DirectoryReader {
  return {
    async *objects() {
      for (let p = 0; p < pages; p++) {
        if (pageDelayMs) await new Promise((resolve) => setTimeout(resolve, pageDelayMs));
        yield Array.from({ length: 100 }, (_, i) => ({ id: `u${p}-${i}`, displayName: `User ${p}-${i}`, department: i < 10 ? 'Sales' : 'Finance' }));
      }
    },
  } as unknown as DirectoryReader;
}

const NOW = new Date('2026-11-25T10:00:00Z');

describe('the rule preview on the approval card', () => {
  it('counts every match when the whole directory was read', async () => {
    const preview = await previewMembershipRule('user.department -eq "sales"', directory(3), NOW);
    expect(preview).toMatchObject({ matched: 30, scanned: 300, complete: true, kind: 'user' });
    expect(describePreview(preview!)).toBe('This rule matches 30 of the 300 users in the directory now. For example: User 0-0, User 0-1, User 0-2, User 0-3, User 0-4.');
  });

  it('says so when time ran out before the whole directory was read', async () => {
    const preview = await previewMembershipRule('user.department -eq "Sales"', directory(50, 40), NOW, 200);
    expect(preview?.complete).toBe(false);
    expect(describePreview(preview!)).toMatch(/^This rule matches at least \d+ of the first \d+ users read; the directory was too large to read in full/);
  });

  it('previews nothing for an invalid rule', async () => {
    expect(await previewMembershipRule('user.department -eq', directory(1), NOW)).toBeUndefined();
  });
});
