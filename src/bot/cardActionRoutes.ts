import { TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { z } from 'zod';
import { setTimeout as sleep } from 'node:timers/promises';
import { requestCheckingCard, requestFormCard, type FormNotes } from '../cards/requestFormCard';
import { approvalCard, requestStatusCard, type ApprovalView } from '../cards/requestCards';
import type { AdaptiveCard, CardVerb } from '../cards/cardTemplates';
import { MEMBERSHIP_TYPES, PRESETS, type Actor, type CardLocations, type GroupRequest, type Preset } from '../requests/groupRequest';
import { holdsHiddenValues, shapeOf } from '../requests/formShape';
import { membersNeedDraft, readDraftId } from '../requests/formDrafts';
import {
  FORM_FIELDS,
  LIMITS,
  readFormValues,
  splitPrincipalNames,
  type FieldErrors,
  type RequestFormValues,
} from '../requests/requestForm';
import type { ActionOutcome } from '../requests/requestOutcomes';
import type { RefusalCode } from '../requests/workflow';
import type { CreatingDecision, CreationIdentity } from '../requests/requestServiceDeps';
import { newFormId, readFormId } from '../requests/requestIds';
import { applyRuleFix } from '../requests/membershipRuleCheck';
import { evaluationThreads } from '../rules';
import { checkSender } from './activityIdentity';
import type { BotContext } from './botContext';
import { signApproverIn, type SignInSettings } from './approverSignIn';
import { answerWithinBudget } from './decisionBudget';
import { answerWithin } from './answerDeadline';
import { REFRESH_VERB, answerViewerOnly, refreshingFor, requestCard, type ClickAnswer, type RequestCardKind } from './cardRefresh';

/**
 * A card action names a request, and the version of it the card was drawn from; its content
 * always comes from the store. Cards drawn before cards carried a version have none.
 */
const RequestAction = z.object({ requestId: z.string().regex(/^[A-Z0-9]{4,32}$/), version: z.coerce.number().int().min(1).optional() });
const RefreshAction = RequestAction.extend({ card: z.enum(['approval', 'status']) });
const RejectAction = RequestAction.extend({ rejectReason: z.string().max(LIMITS.rejectReason).optional() });
/** A fix button chooses one of the corrections the server proposes; what it writes is recomputed. */
const RuleFixChoice = z.object({ ruleFix: z.coerce.number().int().min(0), ruleFixTo: z.string().max(LIMITS.membershipRule) });

/** Where a form's kind or membership-type button leads; the form it came from is in `preset` and `membershipType`. */
const ShapeChange = z.object({ toPreset: z.enum(PRESETS), toMembershipType: z.enum(MEMBERSHIP_TYPES) });

/** How long after answering with the "checking" card its replacement may be sent. */
const UPDATE_AFTER_ANSWER_MS = 1000;

/** Resolves with nothing after `ms`, without keeping the process alive. */
const pause = (ms: number): Promise<undefined> => sleep(ms, undefined, { ref: false });

type Handler = (context: TurnContext, actor: Actor, data: unknown) => Promise<AdaptiveCard | string>;

const NO_APPROVALS_CHANNEL =
  'No approvals channel is set yet, so no approver has seen this. Ask an approver to say "use this channel for approvals" in a team channel with this bot: your request is kept and posted there then.';

const OUT_OF_DATE =
  'Nothing was done: this request changed since your card was drawn, and this is where it stands now. Decide again if you still want to.';

export interface CardActionOptions {
  /** Set when groups are created with the approver's own rights (delegated mode). */
  signIn?: SignInSettings;
}

/** Refusals that say the clicker has no decision to make here: their card then has no buttons. */
const NOT_THEIRS: readonly RefusalCode[] = ['notApprover', 'ownRequest'];

function decided(outcome: ActionOutcome): ClickAnswer {
  if (!outcome.request) return { content: outcome.ok ? '' : outcome.refusal.message };
  const request = outcome.request;
  if (outcome.ok) return { content: approvalCard(request), request };
  const view = NOT_THEIRS.includes(outcome.refusal.code) ? 'onlooker' : 'approver';
  return { content: approvalCard(request, outcome.refusal.message, view), request };
}

export function addCardActionRoutes(app: Application<TurnState>, bot: BotContext, options: CardActionOptions): void {
  const route = (verb: CardVerb | typeof REFRESH_VERB, handler: Handler) =>
    app.adaptiveCards.actionExecute(verb, async (context, _state, data) => {
      const sender = checkSender(context.activity, bot.tenantId);
      if (!sender.ok) {
        bot.log.warn({ verb, from: context.activity.from?.id, reason: sender.reason }, 'card action refused');
        return sender.reason;
      }
      const answer = await handler(context, sender.actor, data);
      return typeof answer !== 'string' && answer.refresh ? answerViewerOnly(context, answer) : answer;
    });

  /**
   * A click from a card drawn before the request last changed does nothing: the clicker gets the
   * current card instead, if they may read the request.
   */
  const outOfDate = async (context: TurnContext, actor: Actor, action: z.infer<typeof RequestAction>, kind: RequestCardKind) => {
    if (action.version === undefined) return undefined;
    const request = await bot.service.get(action.requestId);
    if (!request || request.version <= action.version) return undefined;
    const view = await viewOf(context, actor, request);
    return view ? { content: requestCard(kind, request, OUT_OF_DATE, view), request } : undefined;
  };

  /**
   * Approve and Retry create the group. In delegated mode: first whether this person may decide
   * on this request now (no one is sent to sign in for nothing), then their Graph access, and only
   * then the decision, with that access in hand.
   */
  const creating =
    (decision: CreatingDecision, act: (id: string, identity: CreationIdentity) => Promise<ActionOutcome>): Handler =>
    async (context, actor, data) => {
      const parsed = RequestAction.safeParse(data);
      if (!parsed.success) return 'This card is out of date: ask for the request again with "pending".';
      const id = parsed.data.requestId;
      const stale = await outOfDate(context, actor, parsed.data, 'approval');
      if (stale) return refreshingFor(context, 'approval', stale);
      const decide = (identity: CreationIdentity) => answerWithinBudget(bot, context, id, 'approval', act(id, identity).then(decided));
      if (!options.signIn) return decide({ actor });
      const allowed = await bot.service.checkDecision(id, actor, decision);
      if (!allowed.ok) return refreshingFor(context, 'approval', decided(allowed));
      const signedIn = await signApproverIn(context, actor, options.signIn);
      if (signedIn.ok) return decide({ actor, access: signedIn.access });
      if (signedIn.answered) return '';
      bot.log.warn({ verb: decision, requestId: id, reason: signedIn.refusal }, 'sign-in refused');
      return approvalCard(allowed.request, signedIn.refusal);
    };

  /**
   * The draft a form showing `values` needs: one for a members list too long for a card, or for
   * fields typed under another kind or membership type. `keptIn` is reused when it holds exactly these values.
   */
  const draftFor = async (values: RequestFormValues, actor: Actor, keptIn?: string): Promise<string | undefined> => {
    if (!membersNeedDraft(values) && !holdsHiddenValues(values, shapeOf(values))) return undefined;
    const kept = await bot.drafts.restore(keptIn, actor);
    const same = kept && FORM_FIELDS.every((field) => (kept[field] ?? '') === (values[field] ?? ''));
    return same ? keptIn : bot.drafts.keep(actor, values);
  };

  /** The form drawn again with `values`; what the card cannot or does not show stays in a draft. */
  const formAgain = async (
    values: RequestFormValues,
    actor: Actor,
    errors: FieldErrors,
    notes: FormNotes,
    formId?: string,
    keptIn?: string,
  ) => {
    const draftId = await draftFor(values, actor, keptIn);
    // A form with a membership rule offers Check rule: its preview's thread starts now, not when clicked.
    if (shapeOf(values).membershipType === 'dynamic') {
      evaluationThreads.warm().catch((error: unknown) => bot.log.error({ err: error }, 'could not start a rule evaluation thread'));
    }
    const keptMembers = membersNeedDraft(values) ? splitPrincipalNames(values.members).length : undefined;
    return requestFormCard(values, errors, { ...notes, draftId, keptMembers }, formId);
  };

  // Also the way back from the "checking" card, whose draft holds what the requester typed.
  route('openForm', async (_context, actor, data) => {
    const draftId = readDraftId(data);
    const kept = await bot.drafts.restore(draftId, actor);
    return formAgain(kept ?? readFormValues(data), actor, {}, {}, readFormId(data), kept && draftId);
  });

  // The kind or the membership type changed: the form is drawn again for it, nothing typed lost.
  route('changeFormShape', async (_context, actor, data) => {
    const draftId = readDraftId(data);
    const values = await bot.drafts.complete(readFormValues(data), draftId, actor);
    const target = ShapeChange.safeParse(data);
    const changed = target.success ? { ...values, preset: target.data.toPreset, membershipType: target.data.toMembershipType } : values;
    return formAgain(changed, actor, {}, {}, readFormId(data), draftId);
  });

  route('submitRequest', async (context, actor, data) => {
    const values = await bot.drafts.complete(readFormValues(data), readDraftId(data), actor);
    const reference = TurnContext.getConversationReference(context.activity);
    const formActivityId = context.activity.replyToId;
    // Forms drawn before forms carried an id are known by their message instead.
    const sentFormId = readFormId(data);
    const formKey = sentFormId ?? (formActivityId ? `${context.activity.conversation.id}|${formActivityId}` : undefined);
    const formId = sentFormId ?? newFormId();
    const work = submit(values, actor, { requesterConversation: reference, requesterActivityId: formActivityId }, formId, formKey);
    const quick = await answerWithin(work, bot.submitAnswerWithinMs, undefined);
    if (quick) return refreshingFor(context, 'status', { content: quick.card, request: quick.request });
    // Thousands of names take longer than Teams waits for an answer: answer now, and put the
    // outcome on the form's card once it is known (after Teams has shown this answer).
    bot.background.run(
      Promise.all([work, pause(UPDATE_AFTER_ANSWER_MS)])
        .then(([{ card, request }]) => {
          if (!formActivityId) return undefined;
          return request
            ? bot.edits.show(reference, formActivityId, 'status', request.id)
            : bot.edits.replace(reference, formActivityId, card);
        })
        .catch((error: unknown) => bot.log.error({ err: error }, 'could not show the outcome of a long submission')),
    );
    const names = splitPrincipalNames(values.members).length + splitPrincipalNames(values.owners).length;
    return requestCheckingCard(values.displayName, names, formId, await bot.drafts.keep(actor, values));
  });

  /**
   * Submits; the card to show the requester, whatever happened, and the request it shows. Its
   * approval card is stored with it, to be posted by the outbox.
   */
  const submit = async (
    values: RequestFormValues,
    actor: Actor,
    cards: CardLocations,
    formId: string,
    formKey?: string,
  ): Promise<{ card: AdaptiveCard; request?: GroupRequest }> => {
    let outcome;
    try {
      outcome = await bot.service.submit(values, actor, cards, formKey);
    } catch (error) {
      bot.log.warn({ err: error }, 'submission failed');
      const why = error instanceof Error ? error.message : String(error);
      const problem = `Nothing was submitted: ${why} Your input is kept; submit again.`;
      return { card: await formAgain(values, actor, {}, { problem }, formId) };
    }
    if (!outcome.ok) return { card: await formAgain(values, actor, outcome.errors, {}, formId) };
    const notice = outcome.repeated || (await bot.approvals.reference()) ? '' : NO_APPROVALS_CHANNEL;
    return { card: requestStatusCard(outcome.request, notice), request: outcome.request };
  };

  /** Checks the rule the form holds and shows the verdict on the form; `problem` is said above it. */
  const checkRule = async (sent: RequestFormValues, actor: Actor, data: unknown, problem?: string): Promise<AdaptiveCard> => {
    const draftId = readDraftId(data);
    const values = await bot.drafts.complete(sent, draftId, actor);
    const checked = await bot.service.checkRule(values, (values.preset || 'custom') as Preset);
    return formAgain(checked.values, actor, checked.errors, { ruleNote: checked.note, problem }, readFormId(data), draftId);
  };

  route('checkRule', async (_context, actor, data) => checkRule(readFormValues(data), actor, data));

  route('applyRuleFix', async (_context, actor, data) => {
    const values = readFormValues(data);
    const choice = RuleFixChoice.safeParse(data);
    const fixed = choice.success
      ? applyRuleFix(values, (values.preset || 'custom') as Preset, choice.data.ruleFix, choice.data.ruleFixTo)
      : undefined;
    if (fixed === undefined)
      return checkRule(
        values,
        actor,
        data,
        'The rule changed since that fix was offered, so nothing was changed: here is the check of the rule as it is now.',
      );
    return checkRule({ ...values, membershipRule: fixed }, actor, data);
  });

  // A new form with a new id, filled from the stored request: submitting it is a new request, checked anew.
  route('requestAgain', async (_context, actor, data) => {
    const parsed = RequestAction.safeParse(data);
    if (!parsed.success) return 'This card is out of date: say "new group" for a new form.';
    const again = await bot.service.askAgain(actor, parsed.data.requestId);
    return again.ok ? formAgain(again.values, actor, {}, {}) : again.refusal.message;
  });

  route('cancelRequest', async (context, actor, data) => {
    const parsed = RequestAction.safeParse(data);
    if (!parsed.success) return 'This card is out of date.';
    const stale = await outOfDate(context, actor, parsed.data, 'status');
    if (stale) return refreshingFor(context, 'status', stale);
    const cancelled = bot.service.cancel(parsed.data.requestId, actor).then((outcome): ClickAnswer => {
      if (!outcome.request) return { content: outcome.ok ? '' : outcome.refusal.message };
      return { content: requestStatusCard(outcome.request, outcome.ok ? '' : outcome.refusal.message), request: outcome.request };
    });
    return answerWithinBudget(bot, context, parsed.data.requestId, 'status', cancelled);
  });

  route(
    'approveRequest',
    creating('approve', (id, identity) => bot.service.approve(id, identity)),
  );
  route(
    'retryRequest',
    creating('retry', (id, identity) => bot.service.retry(id, identity)),
  );

  /** Teams asks for the current card of a viewer the card's `refresh` names. */
  route(REFRESH_VERB, async (context, actor, data) => {
    const parsed = RefreshAction.safeParse(data);
    if (!parsed.success) return 'This card is out of date.';
    const request = await bot.service.get(parsed.data.requestId);
    if (!request) return 'This card is out of date.';
    const view = await viewOf(context, actor, request);
    if (!view) return 'This card is out of date.';
    return refreshingFor(context, parsed.data.card, { content: requestCard(parsed.data.card, request, '', view), request });
  });

  /**
   * The version of a request's card this viewer may see. The action's data is not trusted: only
   * the requester and approvers see a request, and on the approval card only an approver who
   * did not ask for it gets the buttons; anyone else in the channel gets the card as posted there.
   */
  const viewOf = async (context: TurnContext, actor: Actor, request: GroupRequest): Promise<ApprovalView | undefined> => {
    const requester = request.requester.aadObjectId === actor.aadObjectId;
    if (!requester && (await bot.approvers.check(actor)).allowed) return 'approver';
    const posted = request.cards.approvalConversation as { conversation?: { id?: string } } | undefined;
    const onPostedCard =
      context.activity.replyToId === request.cards.approvalActivityId && context.activity.conversation.id === posted?.conversation?.id;
    return requester || onPostedCard ? 'onlooker' : undefined;
  };

  route('abandonRequest', async (context, actor, data) => {
    const parsed = RequestAction.safeParse(data);
    if (!parsed.success) return 'This card is out of date: ask for the request again with "pending".';
    const stale = await outOfDate(context, actor, parsed.data, 'approval');
    if (stale) return refreshingFor(context, 'approval', stale);
    return answerWithinBudget(
      bot,
      context,
      parsed.data.requestId,
      'approval',
      bot.service.abandon(parsed.data.requestId, actor).then(decided),
    );
  });

  route('rejectRequest', async (context, actor, data) => {
    const parsed = RejectAction.safeParse(data);
    if (!parsed.success) return 'This card is out of date: ask for the request again with "pending".';
    const stale = await outOfDate(context, actor, parsed.data, 'approval');
    if (stale) return refreshingFor(context, 'approval', stale);
    const rejected = bot.service.reject(parsed.data.requestId, actor, parsed.data.rejectReason ?? '').then(decided);
    return answerWithinBudget(bot, context, parsed.data.requestId, 'approval', rejected);
  });
}
