/**
 * The largest activity body /api/messages reads, in bytes.
 *
 * Teams caps a message at 100 KB measured as UTF-16, about 51,200 code units; as UTF-8 that is at
 * most about 150 KB (three bytes per code unit). An invoke carries the card's inputs next to the
 * activity, so twice that leaves room for a form whose member list is long. Anything larger did
 * not come from Teams and is refused with 413 before it is parsed.
 */
export const ACTIVITY_BODY_LIMIT_BYTES = 300 * 1024;
