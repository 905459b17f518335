import { FORM_FIELDS, type FieldErrors, type RequestFormValues } from '../requests/requestForm';
import { renderCard, type AdaptiveCard } from './cardTemplates';

const DEFAULTS: RequestFormValues = { preset: 'custom', membershipType: 'assigned' };

/** The request form, with what the requester typed and the server's verdict next to each field. */
export function requestFormCard(values: RequestFormValues = {}, errors: FieldErrors = {}): AdaptiveCard {
  const filled: Record<string, string> = {};
  const notes: Record<string, string> = {};
  for (const field of FORM_FIELDS) {
    filled[field] = values[field] ?? DEFAULTS[field] ?? '';
    notes[field] = errors[field] ?? '';
  }
  return renderCard('requestForm', {
    values: filled,
    errors: notes,
    hasErrors: Object.values(notes).some(Boolean),
  });
}
