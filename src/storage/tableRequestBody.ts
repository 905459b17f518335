import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { GroupRequest } from '../requests/groupRequest';
import { RequestStoreConfigurationError, RequestTooLargeError } from './storeErrors';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** Table storage caps one property at 64 KiB. */
const CHUNK_BYTES = 64 * 1024;
/**
 * Table storage caps an entity at 1 MiB, and the emulator applies that cap to the whole body of an
 * update, where binary travels as base64 (4/3 larger): 11 chunks (704 KiB, ~940 KiB as base64) fit
 * both ways with room for the other properties. At ~42 compressed bytes a member: ~17,000 members.
 */
const MAX_CHUNKS = 11;
export const MAX_BODY_BYTES = CHUNK_BYTES * MAX_CHUNKS;

const ENCODING = 'json+gzip';

/** The entity properties that hold a request: gzipped JSON cut into binary properties body0…bodyN. */
export type BodyProperties = Record<string, string | number | Uint8Array>;

export function packRequestBody(request: GroupRequest): Promise<BodyProperties> {
  return packBody(request.id, request);
}

export function unpackRequestBody(entity: Record<string, unknown>): Promise<GroupRequest> {
  return unpackBody<GroupRequest>(entity);
}

/** Any JSON value stored as a request body is: a form draft, for one. */
export async function packBody(id: string, value: unknown): Promise<BodyProperties> {
  const compressed = await gzipAsync(JSON.stringify(value));
  if (compressed.length > MAX_BODY_BYTES) {
    throw new RequestTooLargeError(id, compressed.length, MAX_BODY_BYTES);
  }
  const properties: BodyProperties = { bodyEncoding: ENCODING };
  let chunks = 0;
  for (let offset = 0; offset < compressed.length; offset += CHUNK_BYTES) {
    properties[`body${chunks++}`] = compressed.subarray(offset, offset + CHUNK_BYTES);
  }
  properties.bodyChunks = chunks;
  return properties;
}

export async function unpackBody<T>(entity: Record<string, unknown>): Promise<T> {
  if (entity.bodyEncoding !== ENCODING || typeof entity.bodyChunks !== 'number') {
    throw new RequestStoreConfigurationError(
      `Stored request ${String(entity.requestId)} has body encoding ${String(entity.bodyEncoding)}, ` +
        `but this bot reads only ${ENCODING}; run the bot version that wrote it.`,
    );
  }
  const chunks = Array.from({ length: entity.bodyChunks }, (_, index) => entity[`body${index}`] as Uint8Array);
  const json = await gunzipAsync(Buffer.concat(chunks));
  return JSON.parse(json.toString('utf8')) as T;
}
