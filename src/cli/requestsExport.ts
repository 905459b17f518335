import type { Writable } from 'node:stream';
import { recordOf } from '../requests/requestRecord';
import type { RequestCursor, RequestStore } from '../requests/requestStore';
import { EXPORT_WRITERS, type ExportFormat } from './exportFormats';
import { writeAll } from './streamOutput';

/** Requests read at a time: memory holds one page, whatever the size of the store. */
const PAGE_SIZE = 100;

export interface ExportOptions {
  format: ExportFormat;
  /** ISO 8601 UTC: only requests submitted at or after it. */
  since?: string;
}

/** Writes one line (or CSV row) per request, oldest first, as `out` takes them; returns how many. */
export async function exportRequests(store: RequestStore, out: Writable, options: ExportOptions): Promise<number> {
  const writer = EXPORT_WRITERS[options.format];
  let count = 0;
  async function* lines(): AsyncGenerator<string> {
    if (writer.header) yield writer.header;
    let after: RequestCursor | undefined;
    do {
      const page = await store.listAll({ limit: PAGE_SIZE, after, createdFrom: options.since });
      for (const request of page.requests) {
        yield writer.line(recordOf(request));
        count++;
      }
      after = page.next;
    } while (after !== undefined);
  }
  await writeAll(out, lines());
  return count;
}
