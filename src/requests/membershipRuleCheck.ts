import { validateRule } from '../rules/validator';
import type { RuleError } from '../rules/errors';
import type { RuleKind } from '../rules/ast';
import type { Preset } from './groupRequest';
import { builtRule } from './ruleBuilderForm';
import type { RequestFormValues } from './requestForm';

/** How many problems a card names at once: the first ones, so the card stays short. */
const SHOWN_ERRORS = 3;
/** How much of the offending text a sentence quotes, so a long rule does not flood the card. */
const QUOTED = 60;

function quoted(text: string): string {
  return `"${text.length > QUOTED ? `${text.slice(0, QUOTED)}…` : text}"`;
}

/**
 * One problem as a sentence with the offending text quoted, readable however narrow the card:
 * where nothing is there to quote (something is missing), the text just before it is quoted.
 */
export function describeRuleError(rule: string, error: RuleError): string {
  const where = `character ${error.offset + 1}`;
  if (error.length > 0) return `At ${quoted(rule.slice(error.offset, error.offset + error.length))} (${where}): ${error.message}`;
  const before = rule.slice(Math.max(0, error.offset - QUOTED), error.offset).trimStart();
  return before ? `After "${before}" (${where}): ${error.message}` : error.message;
}

/** The Autopilot user group needs a user rule; a custom group may be of users or of devices. */
function kindFor(preset: Preset): RuleKind | undefined {
  return preset === 'autopilotUsers' || preset === 'autopilotPair' ? 'user' : undefined;
}

/** The problems a card names, first ones first; none for a valid rule. */
function shownErrors(rule: string, preset: Preset): RuleError[] {
  const result = validateRule(rule, kindFor(preset));
  return result.valid ? [] : result.errors.slice(0, SHOWN_ERRORS);
}

/** Checks a dynamic membership rule as Entra would, before anything reaches Graph. */
export function checkMembershipRule(rule: string, preset: Preset): string | undefined {
  const errors = shownErrors(rule, preset);
  return errors.length ? errors.map((error) => describeRuleError(rule, error)).join('\n\n') : undefined;
}

/** A correction the rule checker proposes ("Did you mean user.department?"), applied to the rule. */
export interface RuleFix {
  /** The text replaced, as the requester wrote it. */
  offending: string;
  replacement: string;
  /** The whole rule with the correction made. */
  rule: string;
}

/** The corrections offered for the problems a card names, in their order. */
export function ruleFixes(rule: string, preset: Preset): RuleFix[] {
  return shownErrors(rule, preset).flatMap(({ offset, length, suggestion }) =>
    suggestion === undefined
      ? []
      : [
          {
            offending: rule.slice(offset, offset + length),
            replacement: suggestion,
            rule: rule.slice(0, offset) + suggestion + rule.slice(offset + length),
          },
        ],
  );
}

/** The rule a form would submit: the text, or else what the rule builder's rows make. */
export function ruleOfForm(values: RequestFormValues): string {
  const written = values.membershipRule?.trim();
  if (written) return written;
  const built = builtRule(values);
  return built?.ok ? built.rule : '';
}

/**
 * The rule with the correction at `index` made, recomputed from the rule the form sends. The
 * card only chooses which correction: `expected` is what its button said it would write, and
 * when the rule has changed since so that this is no longer that correction, nothing is made.
 */
export function applyRuleFix(values: RequestFormValues, preset: Preset, index: number, expected: string): string | undefined {
  const fix = ruleFixes(ruleOfForm(values), preset)[index];
  return fix?.replacement === expected ? fix.rule : undefined;
}
