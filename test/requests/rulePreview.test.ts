import type { DirectoryReader } from '../../src/requests/directory';
import { describePreview, previewMembershipRule } from '../../src/requests/rulePreview';

/** A directory of `pages` pages of 100 users, the first 10 of each page in Sales; optionally slow. */
function directory(pages: number, pageDelayMs = 0): DirectoryReader {
  return {
    async *objects() {
      for (let p = 0; p < pages; p++) {
        if (pageDelayMs) await new Promise((resolve) => setTimeout(resolve, pageDelayMs));
        yield Array.from({ length: 100 }, (_, i) => ({
          id: `u${p}-${i}`,
          displayName: `User ${p}-${i}`,
          department: i < 10 ? 'Sales' : 'Finance',
        }));
      }
    },
  } as unknown as DirectoryReader;
}

const NOW = new Date('2026-11-25T10:00:00Z');

describe('the rule preview on the approval card', () => {
  it('counts every match when the whole directory was read', async () => {
    const preview = await previewMembershipRule('user.department -eq "sales"', directory(3), NOW);
    expect(preview).toMatchObject({ matched: 30, scanned: 300, complete: true, kind: 'user' });
    expect(describePreview(preview!)).toBe(
      'This rule matches 30 of the 300 users in the directory now. For example: User 0-0, User 0-1, User 0-2, User 0-3, User 0-4.',
    );
  });

  it('says so when time ran out before the whole directory was read', async () => {
    const preview = await previewMembershipRule('user.department -eq "Sales"', directory(50, 40), NOW, 200);
    expect(preview?.complete).toBe(false);
    expect(describePreview(preview!)).toMatch(
      /^This rule matches at least \d+ of the first \d+ users read; the directory was too large to read in full/,
    );
  });

  it('previews nothing for an invalid rule', async () => {
    expect(await previewMembershipRule('user.department -eq', directory(1), NOW)).toBeUndefined();
  });
});

describe('a rule whose pattern the preview cannot run', () => {
  it('stays valid, and the preview says plainly that it cannot count it', async () => {
    const preview = await previewMembershipRule('user.userPrincipalName -match "^(?!adm-).*@contoso\\.com$"', directory(3), NOW);
    expect(preview).toMatchObject({
      matched: 0,
      scanned: 0,
      complete: false,
      unsupportedPattern: { pattern: '^(?!adm-).*@contoso\\.com$', feature: 'a lookahead' },
    });
    expect(describePreview(preview!)).toBe(
      'The rule is valid, but it cannot be previewed: the pattern "^(?!adm-).*@contoso\\.com$" uses a lookahead, which the preview does not run ' +
        '(it runs patterns only in linear time). Entra evaluates it once the group exists; how many users it matches is not known yet.',
    );
  });
});
