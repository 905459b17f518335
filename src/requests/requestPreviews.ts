import { DirectoryError } from './directory';
import type { CreatedGroup, Preset, RulePreviewSummary } from './groupRequest';
import type { RequestFormValues } from './requestForm';
import type { RuleCheckOutcome } from './requestOutcomes';
import type { RequestContext } from './requestServiceDeps';
import { builtRule } from './ruleBuilderForm';
import { describePreview, previewMembershipRule } from './rulePreview';
import { lookalikeKey, searchableName } from './textHygiene';

/**
 * What the approver is shown beside a request, read from the directory as a courtesy: when the
 * directory cannot be read, the request goes on without it.
 */

/** What a dynamic rule matches now, or nothing when the directory cannot be read in full. */
export async function preview(ctx: RequestContext, rule: string): Promise<RulePreviewSummary | undefined> {
  try {
    return await previewMembershipRule(rule, ctx.deps.directory, new Date(ctx.now()));
  } catch (error) {
    if (error instanceof DirectoryError) return undefined;
    throw error;
  }
}

/**
 * Who among the owners and members holds a directory role, for the approver to see. When the
 * directory cannot say, the request goes on and the card says the roles are unknown, and why.
 */
export async function directoryRoles(ctx: RequestContext, userIds: string[]): Promise<{ held?: Map<string, string[]>; unknown?: string }> {
  if (userIds.length === 0) return { held: new Map() };
  try {
    return { held: await ctx.deps.directory.directoryRolesOf(userIds) };
  } catch (error) {
    if (error instanceof DirectoryError) return { unknown: error.message };
    throw error;
  }
}

/**
 * Existing groups whose names read the same as `displayName` (invisible characters, letter
 * widths and case aside). A warning for the approver, so an unreadable directory skips it.
 */
export async function lookalikes(ctx: RequestContext, displayName: string): Promise<CreatedGroup[] | undefined> {
  try {
    const key = lookalikeKey(displayName);
    const candidates = await ctx.deps.directory.groupsNamedFrom(searchableName(displayName));
    return candidates.filter((group) => lookalikeKey(group.displayName) === key);
  } catch (error) {
    if (error instanceof DirectoryError) return undefined;
    throw error;
  }
}

/** Lookalikes of every group a request makes (both names of the Autopilot pair), each group once. */
export async function lookalikesOfAll(ctx: RequestContext, displayNames: string[]): Promise<CreatedGroup[] | undefined> {
  const found = await Promise.all(displayNames.map((name) => lookalikes(ctx, name)));
  if (found.every((groups) => groups === undefined)) return undefined;
  const byId = new Map(found.flatMap((groups) => groups ?? []).map((group) => [group.id, group]));
  return [...byId.values()];
}

/** The form's "Check rule": the rule the form would submit, checked and previewed, not stored. */
export async function checkFormRule(ctx: RequestContext, values: RequestFormValues, preset: Preset): Promise<RuleCheckOutcome> {
  const built = values.membershipRule?.trim() ? undefined : builtRule(values);
  const rule = values.membershipRule?.trim() || (built?.ok ? built.rule : '');
  const shown = { ...values, membershipType: 'dynamic', membershipRule: rule };
  if (built && !built.ok) return { values: shown, errors: { membershipRule: built.problem }, note: '' };
  if (!rule) return { values: shown, errors: { membershipRule: 'Write a rule, or fill in the first row of the rule builder.' }, note: '' };
  const problem = ctx.deps.checkRule(rule, preset);
  if (problem) return { values: shown, errors: { membershipRule: problem }, note: '' };
  const previewed = await preview(ctx, rule);
  const note = previewed ? describePreview(previewed) : 'The rule is valid. The directory could not be read to preview it.';
  return { values: shown, errors: {}, note };
}
