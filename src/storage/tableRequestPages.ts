import { odata, type TableClient } from '@azure/data-tables';
import { REQUEST_STATUSES, type GroupRequest } from '../requests/groupRequest';
import type { RequestPage, RequestPageQuery } from '../requests/requestStore';
import { statusPartition, statusRow } from './tableIndexKeys';

/** An index entity of a status partition: its row key is `statusRow` of the request it names. */
interface IndexRow {
  rowKey: string;
  requestId: string;
  createdAt: string;
}

/**
 * One page of every request, oldest first, from the status index partitions: every request has
 * an index entity in the partition of its status (and, while it moves, briefly in two), and their
 * row keys sort by creation time then id. Each partition is read from the cursor on, up to `limit`
 * rows, following the service's continuation tokens; the rows are merged, and the first `limit`
 * distinct requests are read. A request whose index entity outlived it (a write that lost, a
 * request never stored) is skipped; one in two partitions is read once, since the cursor moves
 * past its key.
 */
export async function pageOfAllRequests(
  table: TableClient,
  query: RequestPageQuery,
  read: (id: string) => Promise<GroupRequest | undefined>,
): Promise<RequestPage> {
  const partitions = await Promise.all(REQUEST_STATUSES.map((status) => indexRows(table, statusPartition(status), query)));
  const merged = partitions.flat().sort((a, b) => (a.rowKey < b.rowKey ? -1 : a.rowKey > b.rowKey ? 1 : 0));
  const distinct = merged.filter((row, index) => index === 0 || row.requestId !== merged[index - 1].requestId);
  const taken = distinct.slice(0, query.limit);
  const more = distinct.length > query.limit || partitions.some((rows) => rows.length === query.limit);
  const requests = (await Promise.all(taken.map((row) => read(row.requestId)))).filter(
    (request, index): request is GroupRequest => request !== undefined && request.createdAt === taken[index].createdAt,
  );
  const last = taken.at(-1);
  return more && last ? { requests, next: { createdAt: last.createdAt, id: last.requestId } } : { requests };
}

async function indexRows(table: TableClient, partitionKey: string, query: RequestPageQuery): Promise<IndexRow[]> {
  let filter = odata`PartitionKey eq ${partitionKey}`;
  if (query.createdFrom !== undefined) filter += ` and ${odata`RowKey ge ${query.createdFrom}`}`;
  if (query.after !== undefined) filter += ` and ${odata`RowKey gt ${statusRow(query.after)}`}`;
  const rows: IndexRow[] = [];
  const pages = table
    .listEntities<Omit<IndexRow, 'rowKey'>>({ queryOptions: { filter, select: ['RowKey', 'requestId', 'createdAt'] } })
    .byPage({ maxPageSize: query.limit });
  for await (const page of pages) {
    for (const row of page) {
      if (rows.length < query.limit) rows.push({ rowKey: row.rowKey!, requestId: row.requestId, createdAt: row.createdAt });
    }
    if (rows.length >= query.limit) break;
  }
  return rows;
}
