import { odata, type TableClient } from '@azure/data-tables';
import { ignoreGoneOrChanged, statusOf } from './tableConnection';
import { NICKNAME_ROW, SHARED_NICKNAME_PARTITION, nicknamePartition } from './tableIndexKeys';

/**
 * Moves the nickname reservations of a store from before per-nickname partitions, all kept in one
 * partition, each to its nickname's own partition; run as the store opens, before any check. Each
 * is copied before it is removed, so a stop in between leaves it in both places and the next start
 * finishes the move; a reservation already in its new place stays as it is.
 */
export async function moveSharedNicknameReservations(requests: TableClient): Promise<void> {
  const filter = odata`PartitionKey eq ${SHARED_NICKNAME_PARTITION}`;
  for await (const held of requests.listEntities<{ requestId: string; createdAt: string }>({ queryOptions: { filter } })) {
    const mailNickname = decodeURIComponent(held.rowKey!);
    await requests
      .createEntity({
        partitionKey: nicknamePartition(mailNickname),
        rowKey: NICKNAME_ROW,
        requestId: held.requestId,
        createdAt: held.createdAt,
      })
      .catch((error: unknown) => {
        if (statusOf(error) !== 409) throw error;
      });
    await requests.deleteEntity(SHARED_NICKNAME_PARTITION, held.rowKey!, { etag: held.etag }).catch(ignoreGoneOrChanged);
  }
}
