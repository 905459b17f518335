import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GroupRequest } from '../../src/requests/groupRequest';
import { openRequestStore, type RequestStoreOptions } from '../../src/storage/openRequestStore';
import { startAzuriteTables, type AzuriteTables } from '../support/azuriteTables';
import { csvRecords } from '../support/csvRecords';
import {
  ADELE,
  AWKWARD_RULE,
  auditedRequests,
  CREATED_GROUP_ID,
  DEVICE_GROUP,
  ESCALATION_GROUP_ID,
  FAILURE_TEXT,
  LEE,
  REJECTION,
  USER_GROUP_ID,
  type AuditedRequests,
} from './auditedRequests';
import { runCli } from './exportCli';

const HEADER = [
  'request id',
  'status',
  'submitted at',
  'requester',
  'requester id',
  'display name',
  'mail nickname',
  'description',
  'device group display name',
  'device group mail nickname',
  'kind',
  'membership type',
  'membership rule',
  'decisions',
  'reminders',
  'escalations',
  'creation result',
  'group object ids',
  'failure code',
  'failure text',
] as const;

let folder: string;
let azurite: AzuriteTables;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'requests-export-'));
  azurite = await startAzuriteTables();
});

afterAll(async () => {
  await azurite?.stop();
  await rm(folder, { recursive: true, force: true });
});

/** The requests stored in a fresh store of each kind, and the settings that name it, as the bot reads them. */
const STORES: [string, () => Promise<{ options: RequestStoreOptions; settings: Record<string, string> }>][] = [
  [
    'a SQLite file',
    async () => {
      const path = join(folder, `${randomUUID()}.db`);
      return { options: { kind: 'sqlite', path }, settings: { SQLITE_PATH: path } };
    },
  ],
  [
    'Azure tables (Azurite)',
    async () => {
      const tablePrefix = `x${randomUUID().replace(/-/g, '').slice(0, 10)}`;
      const connectionString = azurite.connectionString;
      return {
        options: { kind: 'azureTables', connectionString, tablePrefix },
        settings: { STORE: 'azureTables', AZURE_STORAGE_CONNECTION_STRING: connectionString, AZURE_TABLE_PREFIX: tablePrefix },
      };
    },
  ],
];

type Column = (typeof HEADER)[number];

/** The CSV row an auditor reads for a request: its requester and group, then `fields`, every other cell empty. */
function row(request: GroupRequest, fields: Partial<Record<Column, string>>): Record<string, string> {
  const cells = Object.fromEntries(HEADER.map((column) => [column, ''])) as Record<Column, string>;
  return {
    ...cells,
    'request id': request.id,
    requester: request.requester.name,
    'requester id': request.requester.aadObjectId,
    'display name': request.spec.displayName,
    'mail nickname': request.spec.mailNickname,
    description: request.spec.description,
    kind: 'custom',
    'membership type': 'assigned',
    'creation result': 'notAttempted',
    ...fields,
  };
}

/** Each request's row, written out by hand. */
function expectedRows({ created, failed, rejected, waiting }: AuditedRequests): Record<string, string>[] {
  return [
    row(created, {
      status: 'created',
      'submitted at': '2026-03-01T08:00:00.000Z',
      description: `'=HYPERLINK("https://evil.example","Quarterly")`,
      kind: 'autopilotUsers',
      'membership type': 'dynamic',
      'membership rule': AWKWARD_RULE,
      decisions: `approved by Adele Vance (${ADELE.aadObjectId}) at 2026-03-01T08:30:00.000Z`,
      'creation result': 'created',
      'group object ids': CREATED_GROUP_ID,
    }),
    row(failed, {
      status: 'failed',
      'submitted at': '2026-03-01T09:00:00.000Z',
      kind: 'autopilotPair',
      'device group display name': DEVICE_GROUP.displayName,
      'device group mail nickname': DEVICE_GROUP.mailNickname,
      'group object ids': USER_GROUP_ID,
      decisions: `approved by Lee Gu (${LEE.aadObjectId}) at 2026-03-01T09:10:00.000Z`,
      'creation result': 'failed',
      'failure code': 'Authorization_RequestDenied',
      'failure text': FAILURE_TEXT,
    }),
    row(rejected, {
      status: 'rejected',
      'submitted at': '2026-03-02T10:00:00.000Z',
      decisions: `rejected by Adele Vance (${ADELE.aadObjectId}) at 2026-03-02T11:00:00.000Z: ${REJECTION}`,
    }),
    row(waiting, {
      status: 'submitted',
      'submitted at': '2026-03-03T12:00:00.000Z',
      description: "'-1 is not a formula; @mention neither",
      reminders:
        '2026-03-03T14:00:00.000Z asked for a reminder after waiting 2 hours\n' +
        '2026-03-03T16:00:00.000Z reminded the approvers after waiting 4 hours',
      escalations: `2026-03-04T12:00:00.000Z escalated after waiting 1 day, to group ${ESCALATION_GROUP_ID}`,
    }),
  ];
}

describe.each(STORES)('requests export from %s', (_, newStore) => {
  let requests: AuditedRequests;
  let settings: Record<string, string>;

  beforeAll(async () => {
    const fresh = await newStore();
    settings = fresh.settings;
    requests = auditedRequests();
    const store = await openRequestStore(fresh.options);
    // Stored out of order: the export orders them by submission.
    for (const request of [requests.waiting, requests.failed, requests.created, requests.rejected]) {
      await store.insert({ ...request, version: 1 });
    }
    await store.close();
  });

  test('CSV: a header and one RFC 4180 row per request, oldest first, every field as the auditor reads it', async () => {
    const run = await runCli(['requests', 'export'], settings);
    expect(run.stderr).toMatch(/^Exported 4 requests from /);
    expect(run.status).toBe(0);
    const [header, ...rows] = csvRecords(run.stdout);
    expect(header).toEqual(HEADER);
    expect(rows.map((cells) => Object.fromEntries(cells.map((value, column) => [HEADER[column], value])))).toEqual(expectedRows(requests));
  });

  test('JSONL: one JSON object per line with every decision, the creation and its failure', async () => {
    const run = await runCli(['requests', 'export', '--format', 'jsonl'], settings);
    expect(run.status).toBe(0);
    expect(run.stdout.endsWith('\n')).toBe(true);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    const [created, failed, rejected, waiting] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(created).toEqual({
      id: requests.created.id,
      status: 'created',
      submittedAt: '2026-03-01T08:00:00.000Z',
      requester: requests.created.requester,
      group: {
        displayName: requests.created.spec.displayName,
        mailNickname: requests.created.spec.mailNickname,
        description: '=HYPERLINK("https://evil.example","Quarterly")',
      },
      kind: 'autopilotUsers',
      membershipType: 'dynamic',
      membershipRule: AWKWARD_RULE,
      decisions: [{ decision: 'approved', decider: ADELE, at: '2026-03-01T08:30:00.000Z' }],
      reminders: [],
      escalations: [],
      creation: { result: 'created', groupIds: [CREATED_GROUP_ID] },
    });
    expect(failed).toMatchObject({
      status: 'failed',
      kind: 'autopilotPair',
      deviceGroup: DEVICE_GROUP,
      decisions: [{ decision: 'approved', decider: LEE, at: '2026-03-01T09:10:00.000Z' }],
      creation: {
        result: 'failed',
        groupIds: [USER_GROUP_ID],
        failure: { code: 'Authorization_RequestDenied', message: FAILURE_TEXT, at: '2026-03-01T09:10:02.000Z' },
      },
    });
    expect(rejected).toMatchObject({
      decisions: [{ decision: 'rejected', decider: ADELE, at: '2026-03-02T11:00:00.000Z', reason: REJECTION }],
      creation: { result: 'notAttempted', groupIds: [] },
    });
    expect(waiting).toMatchObject({
      id: requests.waiting.id,
      status: 'submitted',
      decisions: [],
      reminders: [
        { at: '2026-03-03T14:00:00.000Z', by: 'requester', waitedMs: 2 * 3_600_000 },
        { at: '2026-03-03T16:00:00.000Z', by: 'schedule', waitedMs: 4 * 3_600_000 },
      ],
      escalations: [{ at: '2026-03-04T12:00:00.000Z', approversGroupId: ESCALATION_GROUP_ID, waitedMs: 86_400_000 }],
    });
    expect(waiting).not.toHaveProperty('membershipRule');
  });

  test('--since keeps the requests submitted at or after it, as a date or a time with an offset', async () => {
    const byDate = await runCli(['requests', 'export', '--since', '2026-03-02', '--format', 'jsonl'], settings);
    expect(byDate.status).toBe(0);
    expect(
      byDate.stdout
        .trimEnd()
        .split('\n')
        .map((line) => (JSON.parse(line) as { id: string }).id),
    ).toEqual([requests.rejected.id, requests.waiting.id]);
    // 10:00+01:00 is 09:00 UTC: the failed request was submitted exactly then.
    const byTime = await runCli(['requests', 'export', '--since=2026-03-01T10:00:00+01:00'], settings);
    expect(byTime.status).toBe(0);
    expect(csvRecords(byTime.stdout).map((row) => row[0])).toEqual([
      'request id',
      requests.failed.id,
      requests.rejected.id,
      requests.waiting.id,
    ]);
    const none = await runCli(['requests', 'export', '--since', '2027-01-01'], settings);
    expect(csvRecords(none.stdout)).toEqual([HEADER]);
    expect(none.stderr).toMatch(/^Exported 0 requests from /);
  });
});

describe('requests export refuses what it cannot do, saying what to change', () => {
  test('a --since that is not a date, or a day that does not exist, is refused with exit status 2', async () => {
    for (const since of ['yesterday', '2026-02-30', '2026-03-01T25:00', '03/01/2026']) {
      const run = await runCli(['requests', 'export', '--since', since], { SQLITE_PATH: join(folder, 'never-opened.db') });
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(`--since needs a date such as 2026-01-31 or a time such as 2026-01-31T09:30:00Z, not "${since}".`);
      expect(run.stdout).toBe('');
    }
  });

  test('an unknown format is refused with exit status 2', async () => {
    const run = await runCli(['requests', 'export', '--format', 'xlsx'], {});
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--format is csv or jsonl, not "xlsx".');
  });

  test('no store configured, and no store file where the settings point, exit with status 3 and say which setting', async () => {
    const unconfigured = await runCli(['requests', 'export'], {}, folder);
    expect(unconfigured.status).toBe(3);
    expect(unconfigured.stderr).toContain('No request store is configured: STORE and SQLITE_PATH are not set');
    expect(unconfigured.stderr).toContain(join(folder, '.data', 'requests.db'));

    const missing = join(folder, 'typo', 'requets.db');
    const run = await runCli(['requests', 'export'], { SQLITE_PATH: missing });
    expect(run.status).toBe(3);
    expect(run.stderr).toBe(
      `There is no SQLite request store at ${missing} (SQLITE_PATH). Set SQLITE_PATH to the file the bot writes its requests to.\n`,
    );
    expect(run.stdout).toBe('');

    const noConnection = await runCli(['requests', 'export'], { STORE: 'azureTables' });
    expect(noConnection.status).toBe(3);
    expect(noConnection.stderr).toContain('AZURE_STORAGE_CONNECTION_STRING is required when STORE=azureTables');
  });

  test('a storage account that does not answer exits with status 3, naming the tables and what to check', async () => {
    const nobodyListens = azurite.connectionString.replace(/TableEndpoint=http:\/\/127\.0\.0\.1:\d+/, 'TableEndpoint=http://127.0.0.1:9');
    const run = await runCli(['requests', 'export'], {
      STORE: 'azureTables',
      AZURE_STORAGE_CONNECTION_STRING: nobodyListens,
      AZURE_TABLE_PREFIX: 'Audit',
    });
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('Cannot open the request store in the tables AuditRequests, AuditSettings, AuditDrafts and AuditOutbox');
    expect(run.stderr).toContain('Check that the storage account is reachable');
    expect(run.stdout).toBe('');
  });
});
