import { type DirectoryObject, InvalidRuleError, previewRule } from '../../src/rules';
import { evaluationThreads } from '../../src/rules/evaluationThreads';

// A thread is started before the first preview in the bot too; here its start is not what is tested.
beforeAll(() => evaluationThreads.warm());
afterAll(() => evaluationThreads.close());

function page(from: number, count: number): DirectoryObject[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `user-${from + i}`,
    displayName: `User ${from + i}`,
    department: (from + i) % 3 === 0 ? 'Sales' : 'Finance',
  }));
}

/** A page source like a paged Graph read, recording whether the reader told it to stop. */
function source(pageCount: number, pageSize: number, options: { hangAfter?: number; failAfter?: number } = {}) {
  let hung: () => void = () => undefined;
  /** Resolves when the reader asks for the page that never comes: every earlier page is counted by then. */
  const hanging = new Promise<void>((resolve) => (hung = resolve));
  const state = { pagesServed: 0, stopped: false, hanging };
  async function* pages(): AsyncGenerator<DirectoryObject[]> {
    try {
      for (let p = 0; p < pageCount; p++) {
        if (p === options.hangAfter) {
          hung();
          await new Promise(() => undefined);
        }
        if (p === options.failAfter) throw new Error('Graph answered 503 Service Unavailable');
        state.pagesServed++;
        yield page(p * pageSize, pageSize);
      }
    } finally {
      state.stopped = true;
    }
  }
  return { pages: pages(), state };
}

describe('previewing a rule over paged directory reads', () => {
  it('counts every match across all pages and keeps the first examples', async () => {
    const { pages } = source(4, 25);
    const preview = await previewRule('user.department -eq "sales"', 'user', pages, { deadlineMs: 60_000, exampleCount: 3 });
    expect(preview).toEqual({
      matched: 34,
      scanned: 100,
      examples: [
        { id: 'user-0', displayName: 'User 0' },
        { id: 'user-3', displayName: 'User 3' },
        { id: 'user-6', displayName: 'User 6' },
      ],
      complete: true,
    });
  });

  it('stops at the page limit, says the count is incomplete, and tells the source to stop', async () => {
    const { pages, state } = source(10, 25);
    const preview = await previewRule('user.department -eq "Sales"', 'user', pages, { deadlineMs: 60_000, exampleCount: 0, maxPages: 2 });
    expect(preview).toMatchObject({ scanned: 50, matched: 17, examples: [], complete: false, stoppedBy: 'pageLimit' });
    expect(state.pagesServed).toBe(2);
    await new Promise((resolve) => setImmediate(resolve));
    expect(state.stopped).toBe(true);
  });

  describe('with a deadline', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('gives up waiting for a page when the time budget is spent and reports what it had', async () => {
      const { pages, state } = source(5, 10, { hangAfter: 1 });
      const pending = previewRule('user.department -eq "Sales"', 'user', pages, { deadlineMs: 5_000, exampleCount: 1 });
      await state.hanging;
      await jest.advanceTimersByTimeAsync(5_000);
      expect(await pending).toEqual({
        matched: 4,
        scanned: 10,
        examples: [{ id: 'user-0', displayName: 'User 0' }],
        complete: false,
        stoppedBy: 'deadline',
      });
    });
  });

  it('passes on a failure of the page source', async () => {
    const { pages } = source(5, 10, { failAfter: 2 });
    await expect(previewRule('user.objectId -ne null', 'user', pages, { deadlineMs: 60_000, exampleCount: 1 })).rejects.toThrow('503');
  });

  it('refuses an invalid rule, or one of the other kind, before reading any page', async () => {
    const { pages, state } = source(5, 10);
    await expect(previewRule('user.departmnt -eq "x"', 'user', pages, { deadlineMs: 1000, exampleCount: 1 })).rejects.toBeInstanceOf(
      InvalidRuleError,
    );
    await expect(previewRule('device.deviceModel -eq "x"', 'user', pages, { deadlineMs: 1000, exampleCount: 1 })).rejects.toBeInstanceOf(
      InvalidRuleError,
    );
    expect(state.pagesServed).toBe(0);
  });

  it('runs a pattern that backtracking engines take minutes over in linear time, with the right counts', async () => {
    const users = Array.from({ length: 2_000 }, (_, i) => ({
      id: `u${i}`,
      displayName: `User ${i}`,
      userPrincipalName: `${'x.'.repeat(14)}${i % 4 === 0 ? '!' : ''}${i}@contoso.com`,
    }));
    async function* pages() {
      yield users.slice(0, 1_000);
      yield users.slice(1_000);
    }
    const preview = await previewRule('user.userPrincipalName -match "(.|.)*!"', 'user', pages(), { deadlineMs: 60_000, exampleCount: 2 });
    expect(preview).toEqual({
      matched: 500,
      scanned: 2_000,
      complete: true,
      examples: [
        { id: 'u0', displayName: 'User 0' },
        { id: 'u4', displayName: 'User 4' },
      ],
    });
  });

  it('says which valid pattern it cannot run, and reads no page for it', async () => {
    const { pages, state } = source(5, 10);
    for (const [pattern, feature] of [
      ['(?<=contoso)\\.com', 'a lookbehind'],
      ['^(?!adm)', 'a lookahead'],
      ['(a)\\1', 'a backreference'],
    ]) {
      const preview = await previewRule(`user.mail -match "${pattern}"`, 'user', pages, { deadlineMs: 60_000, exampleCount: 1 });
      expect(preview).toEqual({
        matched: 0,
        scanned: 0,
        examples: [],
        complete: false,
        stoppedBy: 'unsupportedPattern',
        unsupportedPattern: { pattern, feature },
      });
    }
    expect(state.pagesServed).toBe(0);
  });

  it('stops a rule in the middle of a page when the budget is spent, and the main thread keeps running meanwhile', async () => {
    // Linear, yet about a second per value: 50 values would hold a thread for a minute.
    const users = Array.from({ length: 50 }, (_, i) => ({ id: `u${i}`, displayName: 'a'.repeat(5_000) }));
    async function* pages() {
      yield users;
    }
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const preview = await previewRule('user.displayName -match "(a|b){1000}x"', 'user', pages(), { deadlineMs: 1_500, exampleCount: 1 });
    clearInterval(ticker);
    expect(preview).toMatchObject({ matched: 0, complete: false, stoppedBy: 'deadline' });
    expect(preview.scanned).toBeLessThan(users.length);
    expect(ticks).toBeGreaterThan(0);
  });
});
