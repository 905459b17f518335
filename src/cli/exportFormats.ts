import type { Actor } from '../requests/groupRequest';
import type { RecordedDecision, RequestRecord } from '../requests/requestRecord';
import { csvLine } from './csvText';

/** How `requests export` writes its records: a CSV table or one JSON object per line. */

export const EXPORT_FORMATS = ['csv', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportWriter {
  /** What comes before the first record, if anything. */
  header: string;
  line(record: RequestRecord): string;
}

const CSV_COLUMNS = [
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
];

export const EXPORT_WRITERS: Record<ExportFormat, ExportWriter> = {
  jsonl: { header: '', line: (record) => `${JSON.stringify(record)}\n` },
  csv: {
    header: csvLine(CSV_COLUMNS),
    line: (record) => csvLine(csvValues(record)),
  },
};

/** Lists go one item a line inside their cell, so a spreadsheet shows each on its own line. */
function csvValues(record: RequestRecord): string[] {
  const { creation } = record;
  return [
    record.id,
    record.status,
    record.submittedAt,
    record.requester.name,
    record.requester.aadObjectId,
    record.group.displayName,
    record.group.mailNickname,
    record.group.description,
    record.deviceGroup?.displayName ?? '',
    record.deviceGroup?.mailNickname ?? '',
    record.kind,
    record.membershipType,
    record.membershipRule ?? '',
    record.decisions.map(decisionText).join('\n'),
    record.reminders.map((reminder) => `${reminder.at} ${reminder.action}`).join('\n'),
    record.escalations.map((escalation) => `${escalation.at} ${escalation.action}, to group ${escalation.approversGroupId}`).join('\n'),
    creation.result,
    creation.groupIds.join('\n'),
    creation.failure?.code ?? '',
    creation.failure?.message ?? '',
  ];
}

/** "stage 2 of 3 (Security): approved by Adele Vance (<object id>) at <time>: <reason>" */
function decisionText(decision: RecordedDecision): string {
  const { stage: mark } = decision;
  const stage = mark === undefined ? '' : `stage ${mark.number} of ${mark.of} (${mark.name}): `;
  const reason = decision.reason === undefined ? '' : `: ${decision.reason}`;
  return `${stage}${decision.decision} by ${who(decision.decider)} at ${decision.at}${reason}`;
}

function who(actor: Actor): string {
  return `${actor.name} (${actor.aadObjectId})`;
}
