import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApproverPolicy } from '../../src/requests/approvers';
import { DirectoryError, type DirectoryReader } from '../../src/requests/directory';
import { RequestService } from '../../src/requests/requestService';
import type { ApproverAccess, CreationIdentity } from '../../src/requests/requestServiceDeps';
import { SqliteRequestStore } from '../../src/storage/sqliteRequestStore';
import { sampleRequest } from '../storage/sampleRequest';

const APPROVERS_GROUP = '4f1d2c3b-0000-4000-8000-000000000001';
const approver = { aadObjectId: '0acb2c72-0110-4538-8b07-4b498f17e9ea', name: 'Lee Gu' };

/** Everyone asked about is an approver: these tests are about sign-in, not rights. */
const everyoneApproves = { isMemberOf: async () => true } as unknown as DirectoryReader;

let folder: string;
let store: SqliteRequestStore;
let writersFor: CreationIdentity[];
let service: RequestService;

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'approver-access-'));
  store = await SqliteRequestStore.open({ path: join(folder, 'requests.db') });
  writersFor = [];
  service = new RequestService({
    store,
    directory: everyoneApproves,
    approvers: new ApproverPolicy(everyoneApproves, APPROVERS_GROUP, 0),
    writerFor(identity) {
      writersFor.push(identity);
      throw new DirectoryError('stopped_here', 'The writer is not needed to show whose access it gets.');
    },
    checkRule: () => undefined,
    tenantId: '6a0e4f2c-9b1d-4e3a-8c7f-5d2b1a0e9c84',
    approverAccessRequired: true,
  });
});

afterEach(async () => {
  await service.settled();
  await store.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('deciding in delegated mode', () => {
  test("records no approval without the approver's access in hand", async () => {
    const request = sampleRequest();
    await store.insert(request);
    const outcome = await service.approve(request.id, { actor: approver });
    expect(outcome).toMatchObject({ ok: false, refusal: { code: 'signInRequired' } });
    expect((await store.get(request.id))?.status).toBe('submitted');
    expect(writersFor).toHaveLength(0);
  });

  test('creates with exactly the access obtained when the approver clicked', async () => {
    const request = sampleRequest();
    await store.insert(request);
    const access: ApproverAccess = { token: async () => ({ token: 'in-hand', expiresOnTimestamp: Date.now() + 60_000 }) };
    expect(await service.approve(request.id, { actor: approver, access })).toMatchObject({ ok: true, request: { status: 'creating' } });
    await service.settled();
    expect(writersFor.map((identity) => identity.access)).toEqual([access]);
  });

  test('judges a decision before anyone signs in, without writing: a decided request and the requester are refused', async () => {
    const request = sampleRequest();
    await store.insert({ ...request, status: 'created' });
    expect(await service.checkDecision(request.id, approver, 'approve')).toMatchObject({ ok: false, refusal: { code: 'alreadyDecided' } });
    const own = sampleRequest({ requesterId: approver.aadObjectId.toUpperCase() });
    await store.insert(own);
    expect(await service.checkDecision(own.id, approver, 'approve')).toMatchObject({ ok: false, refusal: { code: 'ownRequest' } });
    expect((await store.get(own.id))?.version).toBe(own.version);
  });
});
