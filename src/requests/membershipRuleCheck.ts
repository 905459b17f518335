import { validateRule } from '../rules/validator';
import type { RuleError } from '../rules/errors';
import type { Preset } from './groupRequest';

/** How much of the rule to show either side of a problem, so the marker stays readable on a card. */
const CONTEXT = 40;

/** The rule around one error with a marker line under the offending part. */
export function markRuleError(rule: string, error: RuleError): string {
  const start = Math.max(0, error.offset - CONTEXT);
  const end = Math.min(rule.length, error.offset + Math.max(error.length, 1) + CONTEXT);
  const prefix = start > 0 ? '…' : '';
  const excerpt = prefix + rule.slice(start, end) + (end < rule.length ? '…' : '');
  const marker = ' '.repeat(prefix.length + error.offset - start) + '^'.repeat(Math.max(1, Math.min(error.length, end - error.offset)));
  return `${excerpt}\n${marker}`;
}

/**
 * Checks a dynamic membership rule as Entra would, before anything reaches Graph. The
 * Autopilot user group needs a user rule; a custom group may be of users or of devices.
 */
export function checkMembershipRule(rule: string, preset: Preset): string | undefined {
  const result = validateRule(rule, preset === 'autopilotUsers' ? 'user' : undefined);
  if (result.valid) return undefined;
  return result.errors
    .slice(0, 3)
    .map((error) => `${error.message} (at character ${error.offset + 1})\n${markRuleError(rule, error)}`)
    .join('\n\n');
}
