import { createHash, randomBytes } from 'node:crypto';
import type { Actor, GroupSpec } from './groupRequest';

/**
 * Request ids, and the key that makes one form sent twice one request.
 *
 * A request id is all it takes to name a request in a click or a command, so it must not be
 * guessed: 16 letters of a 32-letter alphabet carry 80 bits. The alphabet leaves out 0, 1, I and
 * O so that people can read an id aloud and type it, in any case.
 */
const ID_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const ID_LENGTH = 16;

/** 256 is a multiple of 32, so each byte gives one letter with no bias. */
function idFromBytes(bytes: Buffer): string {
  return Array.from(bytes.subarray(0, ID_LENGTH), (b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('');
}

export function randomRequestId(): string {
  return idFromBytes(randomBytes(ID_LENGTH));
}

/** A fresh id for a form as it is drawn: 128 random bits, URL-safe. */
export function newFormId(): string {
  return randomBytes(16).toString('base64url');
}

const FORM_ID = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * The form id a card action carries, when it looks like one. It comes from the card, so it is
 * trusted for nothing but telling a repeat from a new submission.
 */
export function readFormId(data: unknown): string | undefined {
  const formId = (data as { formId?: unknown } | undefined)?.formId;
  return typeof formId === 'string' && FORM_ID.test(formId) ? formId : undefined;
}

/**
 * The id of the request a form submission makes. The same form sent again by the same person
 * with the same content (a double click, a retried delivery) gives the same id, so it is stored
 * once; another person, or other content typed into the same form, gives a new request.
 * The form id is random and never shown, so the id cannot be worked out by anyone else.
 */
export function requestIdFor(formKey: string, requester: Actor, spec: GroupSpec): string {
  const content = createHash('sha256').update(JSON.stringify(spec)).digest('hex');
  const key = JSON.stringify([formKey, requester.aadObjectId.toLowerCase(), content]);
  return idFromBytes(createHash('sha256').update(key).digest());
}
