import type { GroupRequest } from '../../src/requests/groupRequest';
import {
  MailNicknameHeldError,
  RequestAlreadyExistsError,
  RequestNotFoundError,
  VersionConflictError,
  type RequestCursor,
  type RequestStore,
} from '../../src/requests/requestStore';
import { RequestStoreUsageError } from '../../src/storage/storeErrors';
import { nextVersionOf, samplePair, sampleRequest } from './sampleRequest';

/** A fresh, empty place to keep requests; `open` may be called several times, like several bot processes. */
export interface StoreFixture {
  open(): Promise<RequestStore>;
  dispose(): Promise<void>;
}

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 9, minute)).toISOString();
const ids = (requests: GroupRequest[]) => requests.map((request) => request.id);

/** The behaviour every RequestStore adapter owes the bot, run once per adapter. */
export function describeRequestStoreContract(adapterName: string, newFixture: () => Promise<StoreFixture>): void {
  describe(`${adapterName} honours the RequestStore contract`, () => {
    let fixture: StoreFixture;
    let opened: RequestStore[];
    let store: RequestStore;

    const open = async () => {
      const another = await fixture.open();
      opened.push(another);
      return another;
    };

    beforeEach(async () => {
      fixture = await newFixture();
      opened = [];
      store = await open();
    });

    afterEach(async () => {
      for (const each of opened) await each.close();
      await fixture.dispose();
    });

    test('a stored request reads back equal, and neither side shares objects with the store', async () => {
      const request = sampleRequest();
      const original = structuredClone(request);
      await store.insert(request);
      request.spec.members.push('mallory@contoso.example');
      request.status = 'approved';

      const read = await store.get(request.id);
      expect(read).toEqual(original);
      read!.audit.push({ at: at(1), actor: 'system', action: 'tamper', to: 'failed' });
      read!.members[0].displayName = 'changed';
      expect(await store.get(request.id)).toEqual(original);
    });

    test('the Autopilot pair reads back with both groups at every step: one made, then both', async () => {
      const submitted = samplePair();
      await store.insert(submitted);
      expect(await store.get(submitted.id)).toEqual(submitted);

      const attempt = { number: 1, startedAt: at(1), groupId: 'user-group-id', addedMembers: [], addedOwners: [] };
      const halfway = nextVersionOf(submitted, {
        status: 'failed',
        attempt,
        failure: { code: 'serviceNotAvailable', message: 'Down.', at: at(2) },
      });
      await store.replace(submitted, halfway);
      const reread = await store.get(submitted.id);
      expect(reread).toEqual(halfway);
      expect(reread?.attempt?.deviceGroupId).toBeUndefined();

      const created = nextVersionOf(halfway, {
        status: 'created',
        attempt: { ...attempt, deviceGroupId: 'device-group-id' },
        group: { id: 'user-group-id', displayName: submitted.spec.displayName },
        deviceGroup: { id: 'device-group-id', displayName: submitted.spec.deviceGroup!.displayName },
        failure: undefined,
      });
      await store.replace(halfway, created);
      expect(await (await open()).get(submitted.id)).toEqual(created);
    });

    test("an open Autopilot pair holds both its nicknames against every other request's, until it settles", async () => {
      const pair = samplePair();
      await store.insert(pair);
      const device = pair.spec.deviceGroup!.mailNickname;
      expect((await store.findOpenByMailNickname(device.toUpperCase()))?.id).toBe(pair.id);

      const single = sampleRequest();
      const asksForDevice = { ...single, spec: { ...single.spec, mailNickname: device } };
      await expect(store.insert(asksForDevice)).rejects.toMatchObject({ name: 'MailNicknameHeldError', heldBy: pair.id });
      const other = samplePair();
      const clashing = {
        ...other,
        spec: { ...other.spec, deviceGroup: { ...other.spec.deviceGroup!, mailNickname: pair.spec.mailNickname.toUpperCase() } },
      };
      await expect(store.insert(clashing)).rejects.toMatchObject({ name: 'MailNicknameHeldError', heldBy: pair.id });
      // What the refused pair asked for is not left held: asked again with another device nickname, it is stored.
      const again = { ...other, id: sampleRequest().id };
      await store.insert(again);
      expect((await store.findOpenByMailNickname(other.spec.mailNickname))?.id).toBe(again.id);

      await store.replace(pair, nextVersionOf(pair, { status: 'cancelled' }));
      expect(await store.findOpenByMailNickname(device)).toBeUndefined();
      await store.insert(asksForDevice);
      expect((await store.findOpenByMailNickname(device))?.id).toBe(asksForDevice.id);
    });

    test('a routed request keeps its route and stage decisions, and one stored without a route reads as before', async () => {
      const request: GroupRequest = {
        ...sampleRequest(),
        route: {
          name: 'Security groups',
          stages: [
            {
              name: 'Identity review',
              approversGroupId: '98c76dc8-f4bb-4caa-8f89-8f7696d2a749',
              channel: { conversationId: '19:a@thread.tacv2' },
            },
            { name: 'Group approvers', approversGroupId: 'c589d331-29bd-4812-b74b-5d2db869d723' },
          ],
          remindAfter: { iso: 'PT4H', ms: 14_400_000 },
          expireAfter: { iso: 'P3D', ms: 259_200_000 },
        },
      };
      await store.insert(request);
      const decided: GroupRequest = {
        ...nextVersionOf(request),
        audit: [
          ...request.audit,
          {
            at: at(5),
            actor: { aadObjectId: 'e2b85af2-2c11-494c-b071-f022b8535efe', name: 'Nestor Wilke' },
            action: 'approved stage 1 of 2 (Identity review)',
            from: 'submitted',
            to: 'submitted',
            stage: {
              number: 1,
              of: 2,
              name: 'Identity review',
              approversGroupId: '98c76dc8-f4bb-4caa-8f89-8f7696d2a749',
              outcome: 'approved',
            },
          },
        ],
        cards: {
          ...request.cards,
          laterStageCards: [{ stage: 2, conversation: { conversation: { id: '19:b@thread.tacv2' } }, activityId: 'm2' }],
        },
      };
      await store.replace(request, decided);
      expect(await store.get(request.id)).toEqual(decided);
      const plain = sampleRequest();
      await store.insert(plain);
      expect((await store.get(plain.id))?.route).toBeUndefined();
    });

    test('an unknown id reads as undefined and cannot be replaced', async () => {
      const ghost = sampleRequest();
      expect(await store.get(ghost.id)).toBeUndefined();
      await expect(store.replace(ghost, nextVersionOf(ghost))).rejects.toThrow(RequestNotFoundError);
    });

    test('inserting an id that exists is refused and keeps the first request', async () => {
      const request = sampleRequest();
      await store.insert(request);
      const impostor = { ...sampleRequest(), id: request.id };
      await expect(store.insert(impostor)).rejects.toThrow(RequestAlreadyExistsError);
      expect(await store.get(request.id)).toEqual(request);
    });

    test('a new request must be version 1', async () => {
      const request = { ...sampleRequest(), version: 2 };
      await expect(store.insert(request)).rejects.toThrow(/stored as version 1/);
      expect(await store.get(request.id)).toBeUndefined();
    });

    test('replace writes the next version only while the stored version is still the previous one', async () => {
      const v1 = sampleRequest();
      await store.insert(v1);
      const v2 = nextVersionOf(v1, { status: 'approved', approver: { aadObjectId: 'admin-1', name: 'Grace' } });
      await store.replace(v1, v2);
      expect(await store.get(v1.id)).toEqual(v2);

      const staleV2 = nextVersionOf(v1, { status: 'rejected', decisionReason: 'late click' });
      const error = await store.replace(v1, staleV2).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(VersionConflictError);
      expect(error).toMatchObject({ requestId: v1.id, expectedVersion: 1 });
      expect(await store.get(v1.id)).toEqual(v2);

      const v3 = nextVersionOf(v2, { status: 'creating' });
      await store.replace(v2, v3);
      expect(await store.get(v1.id)).toEqual(v3);
    });

    test('replace refuses a next version that is not previous + 1, or another request', async () => {
      const v1 = sampleRequest();
      await store.insert(v1);
      await expect(store.replace(v1, { ...nextVersionOf(v1), version: 3 })).rejects.toThrow(RequestStoreUsageError);
      await expect(store.replace(v1, { ...nextVersionOf(v1), id: 'other' })).rejects.toThrow(RequestStoreUsageError);
      expect(await store.get(v1.id)).toEqual(v1);
    });

    test('of two concurrent replaces from the same version exactly one wins', async () => {
      const v1 = sampleRequest();
      await store.insert(v1);
      const approve = nextVersionOf(v1, { status: 'approved' });
      const reject = nextVersionOf(v1, { status: 'rejected' });

      const outcomes = await Promise.allSettled([store.replace(v1, approve), store.replace(v1, reject)]);

      const winners = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      const losers = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(1);
      expect(losers[0].reason).toBeInstanceOf(VersionConflictError);
      const winner = outcomes[0].status === 'fulfilled' ? approve : reject;
      expect(await store.get(v1.id)).toEqual(winner);
    });

    test('two bot instances on the same store: one click wins, a stale copy loses', async () => {
      const first = store;
      const second = await open();
      const v1 = sampleRequest();
      await first.insert(v1);
      const seenBySecond = await second.get(v1.id);
      expect(seenBySecond).toEqual(v1);

      const outcomes = await Promise.allSettled([
        first.replace(v1, nextVersionOf(v1, { status: 'approved' })),
        second.replace(seenBySecond!, nextVersionOf(seenBySecond!, { status: 'rejected' })),
      ]);
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      const stored = await first.get(v1.id);
      expect(await second.get(v1.id)).toEqual(stored);
      expect(stored!.version).toBe(2);

      // Whoever won, the other instance's copy is now stale and must lose again.
      const staleWriter = outcomes[0].status === 'fulfilled' ? second : first;
      await expect(staleWriter.replace(v1, nextVersionOf(v1, { status: 'cancelled' }))).rejects.toThrow(VersionConflictError);
      const v3 = nextVersionOf(stored!, { status: 'creating' });
      await staleWriter.replace(stored!, v3);
      expect(await first.get(v1.id)).toEqual(v3);
    });

    test('an instance that never read the request can still replace it, and only from the current version', async () => {
      const v1 = sampleRequest();
      await store.insert(v1);
      const v2 = nextVersionOf(v1, { status: 'approved' });
      await store.replace(v1, v2);

      const freshInstance = await open();
      await expect(freshInstance.replace(v1, nextVersionOf(v1, { status: 'rejected' }))).rejects.toThrow(VersionConflictError);
      const v3 = nextVersionOf(v2, { status: 'creating' });
      await (await open()).replace(v2, v3);
      expect(await store.get(v1.id)).toEqual(v3);
    });

    test('ids and setting names with characters some engines reserve round-trip', async () => {
      const request = { ...sampleRequest(), id: 'odd/id#with?reserved\\chars%20and\tcontrol' };
      await store.insert(request);
      expect(await store.get(request.id)).toEqual(request);
      const v2 = nextVersionOf(request, { status: 'approved' });
      await store.replace(request, v2);
      expect(await store.listByStatus(['approved'], 10)).toEqual([v2]);
    });

    test("a requester's requests list newest first, up to the limit, and only theirs", async () => {
      const requesterId = 'requester-a';
      const oldest = sampleRequest({ requesterId, createdAt: at(1) });
      const middle = sampleRequest({ requesterId, createdAt: at(2) });
      const newest = sampleRequest({ requesterId, createdAt: at(3) });
      const someoneElse = sampleRequest({ requesterId: 'requester-b', createdAt: at(4) });
      for (const request of [middle, someoneElse, newest, oldest]) await store.insert(request);

      expect(ids(await store.listByRequester(requesterId, 10))).toEqual(ids([newest, middle, oldest]));
      expect(ids(await store.listByRequester(requesterId, 2))).toEqual(ids([newest, middle]));
      expect(await store.listByRequester(requesterId, 0)).toEqual([]);
      expect(await store.listByRequester('nobody', 10)).toEqual([]);

      const approved = nextVersionOf(middle, { status: 'approved' });
      await store.replace(middle, approved);
      expect((await store.listByRequester(requesterId, 10))[1]).toEqual(approved);
    });

    test('requests list by status oldest first, across several statuses, following every change', async () => {
      const first = sampleRequest({ createdAt: at(1) });
      const second = sampleRequest({ createdAt: at(2) });
      const third = sampleRequest({ createdAt: at(3) });
      for (const request of [third, first, second]) await store.insert(request);
      const secondCreating = nextVersionOf(second, { status: 'creating' });
      await store.replace(second, secondCreating);

      expect(ids(await store.listByStatus(['submitted'], 10))).toEqual(ids([first, third]));
      expect(await store.listByStatus(['creating'], 10)).toEqual([secondCreating]);
      expect(ids(await store.listByStatus(['submitted', 'creating'], 10))).toEqual(ids([first, second, third]));
      expect(ids(await store.listByStatus(['creating', 'submitted'], 2))).toEqual(ids([first, second]));
      expect(await store.listByStatus(['created', 'failed'], 10)).toEqual([]);
      expect(await store.listByStatus([], 10)).toEqual([]);
    });

    describe('paging through every request, for exports', () => {
      /** Every page from `createdFrom` on, following `next`, `limit` at a time. */
      const allPages = async (from: RequestStore, limit: number, createdFrom?: string) => {
        const pages: GroupRequest[][] = [];
        let after: RequestCursor | undefined;
        do {
          const page = await from.listAll({ limit, after, createdFrom });
          expect(page.requests.length).toBeLessThanOrEqual(limit);
          pages.push(page.requests);
          after = page.next;
        } while (after !== undefined && pages.length < 100);
        return pages;
      };

      test('pages hold at most the limit, oldest first with the id breaking ties, each request once', async () => {
        const sameMinute = [sampleRequest({ createdAt: at(2) }), sampleRequest({ createdAt: at(2) }), sampleRequest({ createdAt: at(2) })];
        const requests = [sampleRequest({ createdAt: at(3) }), ...sameMinute, sampleRequest({ createdAt: at(1) })];
        for (const request of requests) await store.insert(request);
        const expected = [requests[4], ...[...sameMinute].sort((a, b) => (a.id < b.id ? -1 : 1)), requests[0]];

        const pages = await allPages(await open(), 2);
        expect(pages.flat()).toEqual(expected);
        expect(pages.slice(0, 2).map((page) => page.length)).toEqual([2, 2]);
        expect((await store.listAll({ limit: 10 })).requests).toEqual(expected);
        expect((await store.listAll({ limit: 10 })).next).toBeUndefined();
      });

      test('every status is listed, with each request as it is now, once however often it moved', async () => {
        const moved = sampleRequest({ createdAt: at(1) });
        const waiting = sampleRequest({ createdAt: at(2) });
        await store.insert(moved);
        await store.insert(waiting);
        let current = moved;
        for (const status of ['approved', 'creating', 'failed', 'creating', 'created'] as const) {
          const next = nextVersionOf(current, { status });
          await store.replace(current, next);
          current = next;
        }
        // A write that lost leaves nothing behind in the listing.
        await expect(store.replace(moved, nextVersionOf(moved, { status: 'rejected' }))).rejects.toThrow(VersionConflictError);

        expect((await allPages(store, 1)).flat()).toEqual([current, waiting]);
      });

      test('createdFrom keeps the requests created at or after it', async () => {
        const [early, onTime, late] = [1, 2, 3].map((minute) => sampleRequest({ createdAt: at(minute) }));
        for (const request of [late, early, onTime]) await store.insert(request);
        expect(ids((await allPages(store, 1, at(2))).flat())).toEqual(ids([onTime, late]));
        expect((await store.listAll({ limit: 5, createdFrom: at(4) })).requests).toEqual([]);
        expect(await store.listAll({ limit: 5 })).toEqual({ requests: [early, onTime, late] });
      });

      test('a request written while paging does not disturb the pages already given', async () => {
        const first = sampleRequest({ createdAt: at(1) });
        const second = sampleRequest({ createdAt: at(3) });
        await store.insert(first);
        await store.insert(second);
        const page = await store.listAll({ limit: 1 });
        expect(ids(page.requests)).toEqual([first.id]);
        await store.insert(sampleRequest({ createdAt: at(0) }));
        const rest = await store.listAll({ limit: 5, after: page.next });
        expect(ids(rest.requests)).toEqual([second.id]);
        expect(rest.next).toBeUndefined();
      });

      test('an empty store has one empty page, and a page must hold at least one request', async () => {
        expect(await store.listAll({ limit: 3 })).toEqual({ requests: [] });
        await expect(store.listAll({ limit: 0 })).rejects.toThrow(RequestStoreUsageError);
        await expect(store.listAll({ limit: 2.5 })).rejects.toThrow(/1 or more/);
      });
    });

    test('waiting requests are listed once a reminder, escalation or expiry falls due, earliest first, following every change', async () => {
      const route = (remindMinutes: number): GroupRequest['route'] => ({
        name: 'Timed',
        stages: [{ name: 'Approval', approversGroupId: '2f6b3c1d-8e7a-4b5c-9d0e-1f2a3b4c5d6e' }],
        remindAfter: { iso: `PT${remindMinutes}M`, ms: remindMinutes * 60_000 },
        expireAfter: { iso: 'PT60M', ms: 3_600_000 },
      });
      const early = { ...sampleRequest({ createdAt: at(0) }), route: route(10) };
      const late = { ...sampleRequest({ createdAt: at(5) }), route: route(20) };
      const untimed = sampleRequest({ createdAt: at(0) });
      for (const request of [late, untimed, early]) await store.insert(request);

      expect(await store.listDue(at(9), 10)).toEqual([]);
      expect(ids(await store.listDue(at(10), 10))).toEqual([early.id]);
      expect(ids(await store.listDue(at(30), 10))).toEqual([early.id, late.id]);
      expect(ids(await store.listDue(at(30), 1))).toEqual([early.id]);

      // Reminded: its next step is expiry, an hour after submission.
      const reminded = nextVersionOf(early, {
        audit: [
          ...early.audit,
          { at: at(11), actor: 'system', action: 'reminded', to: 'submitted', reminder: { by: 'schedule', waitedMs: 660_000 } },
        ],
      });
      await store.replace(early, reminded);
      expect(ids(await store.listDue(at(30), 10))).toEqual([late.id]);
      expect(ids(await store.listDue(at(60), 10))).toEqual([late.id, early.id]);

      // Decided: nothing falls due any more.
      await store.replace(late, nextVersionOf(late, { status: 'rejected' }));
      expect(ids(await store.listDue(at(90), 10))).toEqual([early.id]);
    });

    test('an open request holds its mail nickname, compared without case, until it settles', async () => {
      const first = sampleRequest();
      await store.insert(first);
      const rival = sampleRequest();
      rival.spec.mailNickname = first.spec.mailNickname.toUpperCase();

      const refusal = await store.insert(rival).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(MailNicknameHeldError);
      expect(refusal).toMatchObject({ heldBy: first.id });
      expect(await store.get(rival.id)).toBeUndefined();
      expect((await store.findOpenByMailNickname(rival.spec.mailNickname))?.id).toBe(first.id);

      const failed = nextVersionOf(first, { status: 'failed' });
      await store.replace(first, failed);
      await expect(store.insert(rival)).rejects.toThrow(MailNicknameHeldError);
      const rejected = nextVersionOf(failed, { status: 'rejected' });
      await store.replace(failed, rejected);
      expect(await store.findOpenByMailNickname(first.spec.mailNickname)).toBeUndefined();

      await store.insert(rival);
      expect((await store.findOpenByMailNickname(first.spec.mailNickname))?.id).toBe(rival.id);
      expect(await store.findOpenByMailNickname('nobody-asked-for-this')).toBeUndefined();
    });

    test('of ten parallel inserts with one mail nickname, from two instances, exactly one is stored and the rest name it', async () => {
      const other = await open();
      const nickname = 'one-nickname';
      const racers = Array.from({ length: 10 }, () => {
        const request = sampleRequest();
        request.spec.mailNickname = nickname;
        return request;
      });
      const outcomes = await Promise.allSettled(racers.map((request, i) => (i % 2 ? other : store).insert(request)));
      const stored = racers.filter((_, i) => outcomes[i].status === 'fulfilled');
      expect(stored).toHaveLength(1);
      for (const outcome of outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected')) {
        expect(outcome.reason).toBeInstanceOf(MailNicknameHeldError);
        expect(outcome.reason.heldBy).toBe(stored[0].id);
      }
      expect(ids(await store.listByStatus(['submitted'], 20))).toEqual([stored[0].id]);
    });

    test('the same request inserted twice is a repeat, not a nickname clash', async () => {
      const request = sampleRequest();
      await store.insert(request);
      await expect(store.insert(request)).rejects.toThrow(RequestAlreadyExistsError);
    });

    test('keeps every state of a request, abandoned included, and lists by it', async () => {
      const request = sampleRequest({ createdAt: at(7) });
      await store.insert(request);
      const failed = nextVersionOf(request, { status: 'failed' });
      await store.replace(request, failed);
      const abandoned = nextVersionOf(failed, { status: 'abandoned' });
      await store.replace(failed, abandoned);
      expect(await store.get(request.id)).toEqual(abandoned);
      expect(await store.listByStatus(['abandoned'], 10)).toEqual([abandoned]);
      expect(await store.listByStatus(['submitted', 'approved', 'creating', 'failed'], 10)).toEqual([]);
      // Abandoned is settled: the mail nickname is free for a new request.
      expect(await store.findOpenByMailNickname(request.spec.mailNickname)).toBeUndefined();
    });

    test('a list limit must be a whole number', async () => {
      await expect(store.listByStatus(['submitted'], -1)).rejects.toThrow(RequestStoreUsageError);
      await expect(store.listByRequester('someone', 1.5)).rejects.toThrow(/whole number/);
    });

    test('settings are kept, overwritten, and survive closing and reopening the store', async () => {
      expect(await store.getSetting('approvalsChannel')).toBeUndefined();
      await store.setSetting('approvalsChannel', '19:old@thread.tacv2');
      await store.setSetting('approvalsChannel', '19:abc/def?#%@thread.tacv2');
      await store.setSetting('odd/name?#\\', '');
      const request = sampleRequest();
      await store.insert(request);
      await store.close();

      const reopened = await open();
      expect(await reopened.getSetting('approvalsChannel')).toBe('19:abc/def?#%@thread.tacv2');
      expect(await reopened.getSetting('odd/name?#\\')).toBe('');
      expect(await reopened.getSetting('unknown')).toBeUndefined();
      expect(await reopened.get(request.id)).toEqual(request);
    });

    test('a request with 5,000 members round-trips through insert, replace and the listings', async () => {
      const big = sampleRequest({ memberCount: 5000, createdAt: at(5) });
      await store.insert(big);
      expect(await store.get(big.id)).toEqual(big);

      const approved = nextVersionOf(big, { status: 'approved' });
      approved.attempt = { number: 1, startedAt: at(6), addedMembers: big.members.map((m) => m.id), addedOwners: [] };
      await store.replace(big, approved);
      expect(await store.get(big.id)).toEqual(approved);
      expect(await store.listByStatus(['approved'], 5)).toEqual([approved]);
      expect(await store.listByRequester(big.requester.aadObjectId, 5)).toEqual([approved]);
    });

    describe('the outbox: changes stored with the request', () => {
      const submitted = { type: 'statusChanged', to: 'submitted' } as const;
      const approved = { type: 'statusChanged', from: 'submitted', to: 'approved' } as const;
      const wanted = { type: 'approvalCardWanted' } as const;

      test("are pending with the write that made them, each request's in the order written", async () => {
        const a = sampleRequest();
        const b = sampleRequest();
        await store.insert(a, [submitted]);
        await store.insert(b);
        const a2 = nextVersionOf(a, { status: 'approved' });
        await store.replace(a, a2, [approved, wanted]);
        await store.replace(b, nextVersionOf(b, { status: 'approved' }), [approved]);

        const pending = await (await open()).pendingChanges(10);
        expect(pending.filter((p) => p.requestId === a.id)).toEqual([
          { requestId: a.id, version: 1, index: 0, change: submitted, delivered: [] },
          { requestId: a.id, version: 2, index: 0, change: approved, delivered: [] },
          { requestId: a.id, version: 2, index: 1, change: wanted, delivered: [] },
        ]);
        expect(pending.filter((p) => p.requestId === b.id)).toEqual([
          { requestId: b.id, version: 2, index: 0, change: approved, delivered: [] },
        ]);
        expect(await store.pendingChanges(2)).toHaveLength(2);
      });

      test('leave out the changes of the requests being delivered already, so the limit reaches those behind them', async () => {
        const [first, second, third] = [sampleRequest(), sampleRequest(), sampleRequest()];
        for (const request of [first, second, third]) await store.insert(request, [submitted, wanted]);

        const behind = await store.pendingChanges(2, new Set([first.id, second.id]));
        expect(behind.map((change) => [change.requestId, change.change])).toEqual([
          [third.id, submitted],
          [third.id, wanted],
        ]);
        expect(await store.pendingChanges(10)).toHaveLength(6);
      });

      test('a write that loses stores none of its changes, and a refused insert none either', async () => {
        const v1 = sampleRequest();
        await store.insert(v1, [submitted]);
        await store.replace(v1, nextVersionOf(v1, { status: 'rejected' }), [{ type: 'statusChanged', from: 'submitted', to: 'rejected' }]);
        await expect(store.replace(v1, nextVersionOf(v1, { status: 'approved' }), [approved])).rejects.toThrow(VersionConflictError);
        await expect(store.insert({ ...sampleRequest(), id: v1.id }, [submitted])).rejects.toThrow(RequestAlreadyExistsError);
        expect((await store.pendingChanges(10)).map((p) => p.change)).toEqual([
          submitted,
          { type: 'statusChanged', from: 'submitted', to: 'rejected' },
        ]);
      });

      test('deliveries made are kept across instances, and a finished change is no longer pending', async () => {
        const request = sampleRequest();
        await store.insert(request, [submitted, wanted]);
        const [first, second] = await store.pendingChanges(10);
        await store.recordDelivered({ ...first, delivered: ['requesterCard'] });

        const other = await open();
        expect((await other.pendingChanges(10))[0].delivered).toEqual(['requesterCard']);
        await other.finishChange(first);
        await other.finishChange(first);
        expect(await store.pendingChanges(10)).toEqual([second]);
      });

      test("a posted card's location is recorded with its delivery, the version unchanged, and a write from an older read keeps it", async () => {
        const request = sampleRequest();
        await store.insert(request, [wanted]);
        const [change] = await store.pendingChanges(10);
        const located = { approvalConversation: { conversation: { id: '19:approvals' } }, approvalActivityId: 'posted-1' };
        await (await open()).recordDelivered({ ...change, delivered: ['approvalPost'] }, located);

        const stored = await store.get(request.id);
        expect(stored?.version).toBe(1);
        expect(stored?.cards).toEqual({ ...request.cards, ...located });
        expect((await store.pendingChanges(10))[0].delivered).toEqual(['approvalPost']);
        // `request` was read before the card was posted: its next version still knows where the card is.
        await store.replace(request, nextVersionOf(request, { status: 'rejected' }));
        expect((await store.get(request.id))?.cards.approvalActivityId).toBe('posted-1');
      });

      test('one instance holds a change at a time, until its lease ends', async () => {
        await store.insert(sampleRequest(), [submitted]);
        const [change] = await store.pendingChanges(10);
        const other = await open();
        const claims = await Promise.all([
          store.claimChange(change, 'instance-a', 60_000),
          other.claimChange(change, 'instance-b', 60_000),
        ]);
        expect(claims.filter(Boolean)).toHaveLength(1);
        const holder = claims[0] ? 'instance-a' : 'instance-b';
        const outsider = claims[0] ? 'instance-b' : 'instance-a';
        expect(await other.claimChange(change, outsider, 60_000)).toBe(false);
        expect(await store.claimChange(change, holder, 1)).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect(await other.claimChange(change, outsider, 60_000)).toBe(true);
        expect(await store.claimChange(change, holder, 60_000)).toBe(false);
        await other.finishChange(change);
        expect(await store.claimChange(change, holder, 60_000)).toBe(false);
      });
    });

    test('a form draft of 5,000 names reads back whole, from another process too, until it expires', async () => {
      const members = Array.from({ length: 5000 }, (_, i) => `person${i}@contoso.com`).join('\n');
      const draft = {
        id: 'Xb3kPq9rT2vWm8nY4hJ6cA',
        ownerAadObjectId: 'owner-1',
        values: { displayName: 'Pilot', members },
        savedAt: at(0),
      };
      const younger = { ...draft, id: 'Zy7uVt5sR3qP1oN9mL8kJA', savedAt: at(30) };
      await store.saveDraft(draft);
      await store.saveDraft(younger);
      expect(await (await open()).getDraft(draft.id)).toEqual(draft);
      expect(await store.getDraft('never-saved')).toBeUndefined();

      expect(await store.deleteDraftsSavedBefore(at(10))).toBe(1);
      expect(await store.getDraft(draft.id)).toBeUndefined();
      expect(await store.getDraft(younger.id)).toEqual(younger);
    });
  });
}
