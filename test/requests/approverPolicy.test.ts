import { ApproverPolicy } from '../../src/requests/approvers';
import { DirectoryError } from '../../src/requests/directory';
import { InMemoryDirectory } from './fakes/inMemoryDirectory';

const APPROVERS_GROUP = '4f1d2c3b-0000-4000-8000-000000000001';

/** The in-memory directory, counting the membership questions it is asked and failing them on demand. */
class CountingDirectory extends InMemoryDirectory {
  asked = 0;
  failNext = false;

  override async isMemberOf(userId: string): Promise<boolean> {
    this.asked++;
    await new Promise((resolve) => setImmediate(resolve));
    if (this.failNext) {
      this.failNext = false;
      throw new DirectoryError('ServiceUnavailable', 'Microsoft Graph is unavailable.', true);
    }
    return super.isMemberOf(userId);
  }
}

describe('who may decide', () => {
  let directory: CountingDirectory;
  let clock: number;
  let policy: ApproverPolicy;

  beforeEach(() => {
    directory = new CountingDirectory();
    clock = 0;
    policy = new ApproverPolicy(directory, APPROVERS_GROUP, 60_000, () => clock);
  });

  it('asks the directory once for a burst of 50 clicks by one approver, and once for another person', async () => {
    const approver = directory.addUser('adele.vance@contoso.example', { approver: true });
    const stranger = directory.addUser('patti.fernandez@contoso.example');

    const answers = await Promise.all([
      ...Array.from({ length: 50 }, () => policy.check({ aadObjectId: approver.id, name: approver.displayName })),
      policy.check({ aadObjectId: stranger.id, name: stranger.displayName }),
    ]);

    expect(answers.slice(0, 50).every((answer) => answer.allowed)).toBe(true);
    expect(answers[50]).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/Only members of the group-request approvers group/),
    });
    expect(directory.asked).toBe(2);
  });

  it('asks again once the answer is older than the cache time, so a removed approver loses the right', async () => {
    const approver = directory.addUser('adele.vance@contoso.example', { approver: true });
    const actor = { aadObjectId: approver.id, name: approver.displayName };
    await policy.check(actor);
    clock = 59_999;
    await policy.check(actor);
    expect(directory.asked).toBe(1);
    clock = 60_001;
    await policy.check(actor);
    expect(directory.asked).toBe(2);
  });

  it('refuses every click waiting on a failed check, keeps no answer, and asks again on the next click', async () => {
    const approver = directory.addUser('adele.vance@contoso.example', { approver: true });
    const actor = { aadObjectId: approver.id, name: approver.displayName };
    directory.failNext = true;

    const refused = await Promise.all([policy.check(actor), policy.check(actor)]);

    expect(refused).toEqual([
      {
        allowed: false,
        unchecked: true,
        reason: expect.stringMatching(/could not be checked, so nothing was changed: Microsoft Graph is unavailable/),
      },
      { allowed: false, unchecked: true, reason: expect.stringMatching(/could not be checked/) },
    ]);
    expect(await policy.check(actor)).toEqual({ allowed: true });
    expect(directory.asked).toBe(2);
  });
});
