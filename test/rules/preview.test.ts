import { type DirectoryObject, InvalidRuleError, previewRule } from '../../src/rules';

function page(from: number, count: number): DirectoryObject[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `user-${from + i}`,
    displayName: `User ${from + i}`,
    department: (from + i) % 3 === 0 ? 'Sales' : 'Finance',
  }));
}

/** A page source like a paged Graph read, recording whether the reader told it to stop. */
function source(pageCount: number, pageSize: number, options: { hangAfter?: number; failAfter?: number } = {}) {
  const state = { pagesServed: 0, stopped: false };
  async function* pages(): AsyncGenerator<DirectoryObject[]> {
    try {
      for (let p = 0; p < pageCount; p++) {
        if (p === options.hangAfter) await new Promise(() => undefined);
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
      const { pages } = source(5, 10, { hangAfter: 1 });
      const pending = previewRule('user.department -eq "Sales"', 'user', pages, { deadlineMs: 5_000, exampleCount: 1 });
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
    await expect(previewRule('user.departmnt -eq "x"', 'user', pages, { deadlineMs: 1000, exampleCount: 1 })).rejects.toBeInstanceOf(InvalidRuleError);
    await expect(previewRule('device.deviceModel -eq "x"', 'user', pages, { deadlineMs: 1000, exampleCount: 1 })).rejects.toBeInstanceOf(InvalidRuleError);
    expect(state.pagesServed).toBe(0);
  });
});
