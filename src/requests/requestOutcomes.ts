import type { GroupRequest } from './groupRequest';
import type { FieldErrors, RequestFormValues } from './requestForm';
import type { Refusal } from './workflow';

/** `repeated`: this form was submitted before; `request` is the one stored then. */
export type SubmitOutcome = { ok: true; request: GroupRequest; repeated?: boolean } | { ok: false; errors: FieldErrors };

/** The rule as the form will submit it, with its problem or what it matches now. */
export interface RuleCheckOutcome {
  values: RequestFormValues;
  errors: FieldErrors;
  note: string;
}
/**
 * A refusal carries the request only when the person refused may read it (its requester, or an
 * approver): whoever else names a request id learns nothing about it.
 */
export type ActionOutcome = { ok: true; request: GroupRequest } | { ok: false; refusal: Refusal; request?: GroupRequest };
export type ReadOutcome = { ok: true; request: GroupRequest } | { ok: false; refusal: Refusal };

/** Said alike for a request that does not exist and one the person may not read. */
export const notFound = (id: string): { ok: false; refusal: Refusal } => ({
  ok: false,
  refusal: { code: 'notFound', message: `I know of no request ${id} that you may see. Say "my requests" for yours.` },
});
