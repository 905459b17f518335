import { previewRule, validateRule } from '../rules';
import type { DirectoryReader } from './directory';
import type { RulePreviewSummary } from './groupRequest';

/** How long a preview may read the directory: the requester is waiting for the card. */
export const PREVIEW_DEADLINE_MS = 2500;
const EXAMPLES = 5;

/**
 * Counts the users or devices a valid rule matches now, reading the directory in pages within
 * a time budget. Undefined for an invalid rule (its errors are reported elsewhere).
 */
export async function previewMembershipRule(
  rule: string,
  directory: DirectoryReader,
  now: Date,
  deadlineMs = PREVIEW_DEADLINE_MS,
): Promise<RulePreviewSummary | undefined> {
  const validation = validateRule(rule);
  if (!validation.valid || !validation.ast || validation.ast.type === 'directReports') return undefined;
  const kind = validation.kind;
  const preview = await previewRule(rule, kind, directory.objects(kind), { deadlineMs, exampleCount: EXAMPLES, now });
  return {
    matched: preview.matched,
    scanned: preview.scanned,
    complete: preview.complete,
    examples: preview.examples.map((e) => e.displayName),
    kind,
    at: now.toISOString(),
    ...(preview.unsupportedPattern ? { unsupportedPattern: preview.unsupportedPattern } : {}),
  };
}

/** The preview in one sentence, honest about a partial read. */
export function describePreview(preview: RulePreviewSummary): string {
  const noun = preview.kind === 'user' ? 'users' : 'devices';
  if (preview.unsupportedPattern) {
    const { pattern, feature } = preview.unsupportedPattern;
    return (
      `The rule is valid, but it cannot be previewed: the pattern "${pattern}" uses ${feature}, which the preview does not run ` +
      `(it runs patterns only in linear time). Entra evaluates it once the group exists; how many ${noun} it matches is not known yet.`
    );
  }
  const examples = preview.examples.length ? ` For example: ${preview.examples.join(', ')}.` : '';
  if (preview.complete) {
    return `This rule matches ${preview.matched} of the ${preview.scanned} ${noun} in the directory now.${examples}`;
  }
  return `This rule matches at least ${preview.matched} of the first ${preview.scanned} ${noun} read; the directory was too large to read in full, so the real count may be higher.${examples}`;
}
