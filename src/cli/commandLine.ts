import type { RuleKind } from '../rules';
import { EXPORT_FORMATS, type ExportFormat } from './exportFormats';
import { readSince } from './sinceOption';
import { UsageError } from './usageError';

/** The commands of `entra-group-rules` and how their arguments are read. */

export const USAGE = `Usage:
  entra-group-rules rules check [--kind user|device]
      Reads membership rules from standard input, one per line, and prints one JSON object per
      rule: {"rule", "valid", "errors": [{"message", "offset", "length"}], "formatted"}.
  entra-group-rules rules match [--kind user|device] --directory <file.json> [--now <ISO date>]
      Reads one rule from standard input and prints the id of every object in the file that
      matches it, one per line. The file holds a JSON array of Graph users or devices, or a
      Graph page {"value": [...]}. --now sets the moment system.now stands for.
  entra-group-rules requests export [--since <date>] [--format csv|jsonl]
      Writes every request of the bot's store to standard output, oldest first, one per line or
      row: requester, group, kind, membership, decisions, reminders, escalations, creation. The
      store is the one the bot's settings name: STORE, SQLITE_PATH, AZURE_STORAGE_CONNECTION_STRING,
      AZURE_TABLE_PREFIX. --since keeps requests submitted at or after a date (2026-01-31) or time
      (2026-01-31T09:30:00Z; UTC unless an offset is given). CSV (the default) follows RFC 4180;
      a cell starting with = + - or @ gets a leading ' so spreadsheets show it as text.

Exit status: 0 when every rule is valid (or every request written), 1 when a rule is not, 2 when
the command is misused, 3 when the request store cannot be read.`;

export type Command =
  | { name: 'help' }
  | { name: 'check'; kind?: RuleKind }
  | { name: 'match'; kind?: RuleKind; directory: string; now?: Date }
  /** `since`: an ISO 8601 UTC time, as the store writes them. */
  | { name: 'export'; since?: string; format: ExportFormat };

const OPTIONS: Record<'check' | 'match' | 'export', readonly string[]> = {
  check: ['--kind'],
  match: ['--kind', '--directory', '--now'],
  export: ['--since', '--format'],
};

export function parseCommandLine(argv: readonly string[]): Command {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) return { name: 'help' };
  const [area, verb, ...rest] = argv;
  if (area === 'requests') return parseRequestsCommand(verb, rest);
  if (area !== 'rules') throw new UsageError(`Unknown command "${area}".`);
  if (verb !== 'check' && verb !== 'match') {
    throw new UsageError(verb === undefined ? 'Say what to do with rules: check or match.' : `Unknown rules command "${verb}".`);
  }
  const options = readOptions(rest, OPTIONS[verb]);
  const kind = readKind(options.get('--kind'));
  if (verb === 'check') return { name: 'check', kind };
  const directory = options.get('--directory');
  if (directory === undefined) throw new UsageError('rules match needs --directory <file.json>.');
  return { name: 'match', kind, directory, now: readNow(options.get('--now')) };
}

function parseRequestsCommand(verb: string | undefined, rest: readonly string[]): Command {
  if (verb !== 'export') {
    throw new UsageError(verb === undefined ? 'Say what to do with requests: export.' : `Unknown requests command "${verb}".`);
  }
  const options = readOptions(rest, OPTIONS.export);
  const since = options.get('--since');
  return { name: 'export', format: readFormat(options.get('--format')), ...(since === undefined ? {} : { since: readSince(since) }) };
}

function readFormat(value: string | undefined): ExportFormat {
  if (value === undefined) return 'csv';
  const format = EXPORT_FORMATS.find((known) => known === value);
  if (format === undefined) throw new UsageError(`--format is csv or jsonl, not "${value}".`);
  return format;
}

function readOptions(args: readonly string[], allowed: readonly string[]): Map<string, string> {
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const [name, inline] = args[i].split(/=(.*)/s, 2);
    if (!allowed.includes(name)) throw new UsageError(`Unknown option "${args[i]}".`);
    const value = inline ?? args[++i];
    if (value === undefined) throw new UsageError(`${name} needs a value.`);
    options.set(name, value);
  }
  return options;
}

function readKind(value: string | undefined): RuleKind | undefined {
  if (value === undefined || value === 'user' || value === 'device') return value;
  throw new UsageError(`--kind is user or device, not "${value}".`);
}

function readNow(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new UsageError(`--now needs a date such as 2025-01-31T00:00:00Z, not "${value}".`);
  return date;
}
