import type { ApproverPolicy } from './approvers';
import { DirectoryError, type DirectoryReader, type GroupWriter } from './directory';
import type { Actor, CardLocations, CreatedGroup, DirectoryPrincipal, GroupRequest, Preset, RulePreviewSummary } from './groupRequest';
import { runCreation, recordEvent, type CreationCheckpoint } from './groupCreation';
import { checkRequestForm, onlyProblems, presetOwnerAppIds, type FieldErrors, type RequestFormValues } from './requestForm';
import { listNames } from './nameList';
import { isObjectId } from './objectIds';
import { builtRule } from './ruleBuilderForm';
import { describePreview, previewMembershipRule } from './rulePreview';
import { randomRequestId, requestIdFor } from './requestIds';
import { lookalikeKey, searchableName } from './textHygiene';
import { changesBetween } from './requestChange';
import { MailNicknameHeldError, RequestAlreadyExistsError, VersionConflictError, type RequestStore } from './requestStore';
import { applyEvent, sameActor, type Refusal, type RequestEvent } from './workflow';

/**
 * The approver's own access to the directory (delegated mode), obtained when they clicked and
 * before anything was written: a token in hand, renewed by whoever made it when it can be.
 */
export interface ApproverAccess {
  token(): Promise<{ token: string; expiresOnTimestamp: number }>;
}

/** Whose rights a creation runs with: the deciding approver, with their access when delegated. */
export interface CreationIdentity {
  actor: Actor;
  access?: ApproverAccess;
}

/** The decisions that start a creation, and so may need the approver's access first. */
export type CreatingDecision = 'approve' | 'retry';

/** Checks a dynamic membership rule; returns the problem in words, or undefined when valid. */
export type RuleCheck = (rule: string, preset: GroupRequest['spec']['preset']) => string | undefined;

export interface RequestServiceDeps {
  store: RequestStore;
  directory: DirectoryReader;
  approvers: ApproverPolicy;
  /** Throws DirectoryError when no writer can be made (e.g. a delegated token is needed). */
  writerFor(identity: CreationIdentity): GroupWriter;
  checkRule: RuleCheck;
  tenantId: string;
  now?: () => Date;
  newId?: () => string;
  checkpoint?: (point: CreationCheckpoint) => void;
  /** App-only mode: make the approving admin an owner of the group the bot creates. */
  approverAsOwner?: boolean;
  /** Delegated mode: no approval or retry is recorded without the approver's access in hand. */
  approverAccessRequired?: boolean;
  /** Reports what went wrong in background work, which has no one to answer to. */
  onBackgroundError?: (error: unknown, request: GroupRequest) => void;
}

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

/** How many interrupted creations one sweep takes over; the next sweep takes the rest. */
const MAX_OPEN_REQUESTS = 5000;

function nicknameHeldMessage(holder: GroupRequest | string, mailNickname: string): string {
  const named = typeof holder === 'string' ? holder : `${holder.id} ("${holder.spec.displayName}")`;
  return `Request ${named} already asks for the mail nickname ${mailNickname}: choose another.`;
}

/** The names the directory does not know, counted in full and listed up to a bound. */
const unknownNames = (missing: string[], listed?: number): string | undefined =>
  missing.length ? `No user in the directory is called ${listNames(missing, listed)}.` : undefined;

/** Picked people the directory does not know (since deleted, or from a forged card). */
const unknownIds = (missing: string[]): string | undefined =>
  missing.length ? `No user in the directory has the object id ${listNames(missing)}: pick them again.` : undefined;

/** Said alike for a request that does not exist and one the person may not read. */
const notFound = (id: string): { ok: false; refusal: Refusal } => ({
  ok: false,
  refusal: { code: 'notFound', message: `I know of no request ${id} that you may see. Say "my requests" for yours.` },
});

/** The requests use cases, called by the bot. All state lives in the store. */
export class RequestService {
  private readonly running = new Map<string, Promise<GroupRequest>>();

  constructor(private readonly deps: RequestServiceDeps) {}

  private now(): string {
    return (this.deps.now ?? (() => new Date()))().toISOString();
  }

  /**
   * Validates the form and the directory names, and stores the request. `formKey` names the
   * form: with the requester and the content it makes the request id, so the same form sent
   * twice (a double click, a retried delivery) stores one request and answers with it both times.
   */
  async submit(values: RequestFormValues, requester: Actor, cards: CardLocations = {}, formKey?: string): Promise<SubmitOutcome> {
    const checked = checkRequestForm(values);
    if (!checked.ok) return checked;
    const spec = checked.spec;
    const id = formKey ? requestIdFor(formKey, requester, spec) : (this.deps.newId ?? randomRequestId)();
    const errors: FieldErrors = {};
    if (spec.membershipRule) errors.membershipRule = this.deps.checkRule(spec.membershipRule, spec.preset);

    const [owners, members, nicknameTaken, nicknameHeldBy, presetOwners] = await Promise.all([
      this.deps.directory.resolveUsers(spec.owners),
      this.deps.directory.resolveUsers(spec.members),
      this.deps.directory.mailNicknameInUse(spec.mailNickname),
      // The same form sent again holds its own nickname: that is a repeat, not a clash.
      this.openRequestWithNickname(spec.mailNickname, id),
      this.presetOwners(spec.preset),
    ]);
    // Owners are always named in full: the approver must see every one of them.
    errors.owners = unknownNames(owners.missing.filter((name) => !isObjectId(name)), Infinity);
    errors.ownerIds = unknownIds(owners.missing.filter(isObjectId));
    errors.members = unknownNames(members.missing.filter((name) => !isObjectId(name)));
    errors.memberIds = unknownIds(members.missing.filter(isObjectId));
    if (nicknameTaken) errors.mailNickname = `A group already uses the mail nickname ${spec.mailNickname}: choose another.`;
    if (nicknameHeldBy) errors.mailNickname = nicknameHeldMessage(nicknameHeldBy, spec.mailNickname);
    if (presetOwners.problem) errors.preset = presetOwners.problem;
    const found = onlyProblems(errors);
    if (Object.keys(found).length) return { ok: false, errors: found };

    const now = this.now();
    const people = [...owners.found, ...members.found].filter((principal) => principal.kind === 'user');
    const [rulePreview, lookalikeGroups, roles] = await Promise.all([
      spec.membershipRule ? this.preview(spec.membershipRule) : undefined,
      this.lookalikes(spec.displayName),
      this.directoryRoles(people.map((person) => person.id)),
    ]);
    const withRoles = (principal: DirectoryPrincipal): DirectoryPrincipal => {
      const held = roles.held?.get(principal.id);
      return held ? { ...principal, directoryRoles: held } : principal;
    };
    const request: GroupRequest = {
      id,
      version: 1,
      status: 'submitted',
      spec,
      owners: [...presetOwners.owners, ...owners.found.map(withRoles)],
      members: members.found.map(withRoles),
      requester,
      tenantId: this.deps.tenantId,
      ...(rulePreview ? { rulePreview } : {}),
      ...(lookalikeGroups?.length ? { lookalikeGroups } : {}),
      ...(roles.unknown ? { directoryRolesUnknown: roles.unknown } : {}),
      cards,
      audit: [{ at: now, actor: requester, action: 'submitted', to: 'submitted' }],
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.deps.store.insert(request, changesBetween(undefined, request));
    } catch (error) {
      // Another submission took the nickname since the check above: the store keeps one per open request.
      if (error instanceof MailNicknameHeldError) {
        const holder = await this.deps.store.get(error.heldBy);
        return { ok: false, errors: { mailNickname: nicknameHeldMessage(holder ?? error.heldBy, spec.mailNickname) } };
      }
      const existing = error instanceof RequestAlreadyExistsError ? await this.deps.store.get(request.id) : undefined;
      if (!existing || !sameActor(existing.requester, requester)) throw error;
      return { ok: true, request: existing, repeated: true };
    }
    return { ok: true, request };
  }

  /** A preview is a courtesy: when the directory cannot be read in full, the request goes on without it. */
  private async preview(rule: string): Promise<RulePreviewSummary | undefined> {
    try {
      return await previewMembershipRule(rule, this.deps.directory, new Date(this.now()));
    } catch (error) {
      if (error instanceof DirectoryError) return undefined;
      throw error;
    }
  }

  /**
   * Who among the owners and members holds a directory role, for the approver to see. When the
   * directory cannot say, the request goes on and the card says the roles are unknown, and why.
   */
  private async directoryRoles(userIds: string[]): Promise<{ held?: Map<string, string[]>; unknown?: string }> {
    if (userIds.length === 0) return { held: new Map() };
    try {
      return { held: await this.deps.directory.directoryRolesOf(userIds) };
    } catch (error) {
      if (error instanceof DirectoryError) return { unknown: error.message };
      throw error;
    }
  }

  /**
   * Existing groups whose names read the same as `displayName` (invisible characters, letter
   * widths and case aside). A warning for the approver, so an unreadable directory skips it.
   */
  private async lookalikes(displayName: string): Promise<CreatedGroup[] | undefined> {
    try {
      const key = lookalikeKey(displayName);
      const candidates = await this.deps.directory.groupsNamedFrom(searchableName(displayName));
      return candidates.filter((group) => lookalikeKey(group.displayName) === key);
    } catch (error) {
      if (error instanceof DirectoryError) return undefined;
      throw error;
    }
  }

  /** The form's "Check rule": the rule the form would submit, checked and previewed, not stored. */
  async checkRule(values: RequestFormValues, preset: Preset): Promise<RuleCheckOutcome> {
    const built = values.membershipRule?.trim() ? undefined : builtRule(values);
    const rule = values.membershipRule?.trim() || (built?.ok ? built.rule : '');
    const shown = { ...values, membershipType: 'dynamic', membershipRule: rule };
    if (built && !built.ok) return { values: shown, errors: { membershipRule: built.problem }, note: '' };
    if (!rule) return { values: shown, errors: { membershipRule: 'Write a rule, or fill in the first row of the rule builder.' }, note: '' };
    const problem = this.deps.checkRule(rule, preset);
    if (problem) return { values: shown, errors: { membershipRule: problem }, note: '' };
    const preview = await this.preview(rule);
    const note = preview ? describePreview(preview) : 'The rule is valid. The directory could not be read to preview it.';
    return { values: shown, errors: {}, note };
  }

  /** Another request not yet settled that would make a group with this nickname: one keyed read. */
  private async openRequestWithNickname(mailNickname: string, exceptId?: string): Promise<GroupRequest | undefined> {
    const holder = await this.deps.store.findOpenByMailNickname(mailNickname);
    return holder?.id === exceptId ? undefined : holder;
  }

  /** The owners a preset always adds, or why the directory cannot provide them. */
  private async presetOwners(preset: Preset): Promise<{ owners: DirectoryPrincipal[]; problem?: string }> {
    const owners: DirectoryPrincipal[] = [];
    for (const appId of presetOwnerAppIds(preset)) {
      const principal = await this.deps.directory.findServicePrincipal(appId);
      if (!principal) {
        return {
          owners,
          problem:
            `The Intune Provisioning Client (appId ${appId}) has no service principal in this tenant, so it cannot own the device group. ` +
            `An admin must add it first (New-MgServicePrincipal -AppId ${appId}).`,
        };
      }
      owners.push(principal);
    }
    return { owners };
  }

  get(id: string): Promise<GroupRequest | undefined> {
    return this.deps.store.get(id);
  }

  /** One request for someone who may read it: its requester or an approver. */
  async read(actor: Actor, id: string): Promise<ReadOutcome> {
    const request = await this.deps.store.get(id);
    if (!request || !(await this.mayRead(actor, request))) return notFound(id);
    return { ok: true, request };
  }

  private async mayRead(actor: Actor, request: GroupRequest): Promise<boolean> {
    return sameActor(actor, request.requester) || (await this.deps.approvers.check(actor)).allowed;
  }

  /** Keeps the request in a refusal only for someone who may read it. */
  private async shownTo(actor: Actor, outcome: ActionOutcome): Promise<ActionOutcome> {
    if (outcome.ok || !outcome.request || (await this.mayRead(actor, outcome.request))) return outcome;
    return { ok: false, refusal: outcome.refusal };
  }

  listMine(requester: Actor, limit = 10): Promise<GroupRequest[]> {
    return this.deps.store.listByRequester(requester.aadObjectId, limit);
  }

  listPending(limit = 20): Promise<GroupRequest[]> {
    return this.deps.store.listByStatus(['submitted'], limit);
  }

  /**
   * Once an approvals channel is chosen, the requests that waited for one (up to `limit`) are
   * marked as wanting their approval card; the bot posts them as it delivers changes.
   */
  async wantApprovalCards(limit = 100): Promise<GroupRequest[]> {
    const waiting = (await this.listPending(limit)).filter((r) => !r.cards.approvalActivityId);
    const marked: GroupRequest[] = [];
    for (const request of waiting) {
      try {
        await this.deps.store.replace(request, { ...request, version: request.version + 1 }, [{ type: 'approvalCardWanted' }]);
        marked.push(request);
      } catch (error) {
        // Changed meanwhile (decided, or its card posted): it no longer waits for this.
        if (!(error instanceof VersionConflictError)) throw error;
      }
    }
    return marked;
  }

  /** Records where a request's cards are; never changes its status. */
  async attachCards(id: string, cards: CardLocations): Promise<GroupRequest | undefined> {
    for (;;) {
      const request = await this.deps.store.get(id);
      if (!request) return undefined;
      const updated = { ...request, version: request.version + 1, cards: { ...request.cards, ...cards } };
      try {
        await this.deps.store.replace(request, updated);
        return updated;
      } catch (error) {
        if (!(error instanceof VersionConflictError)) throw error;
      }
    }
  }

  /**
   * Applies an event with one conditional write. When someone else wrote first (a second
   * approver, say) the event is judged again against what they wrote, unless it was a claim.
   */
  private async apply(id: string, events: RequestEvent | readonly RequestEvent[], judgeAgain = true): Promise<ActionOutcome> {
    const request = await this.deps.store.get(id);
    if (!request) return notFound(id);
    // Several events (approve, then start the creation) become one version: one conditional write.
    let next = request;
    for (const event of [events].flat()) {
      const judged = applyEvent(next, event, this.now());
      if (!judged.ok) return { ok: false, refusal: judged.refusal, request };
      next = judged.request;
    }
    const updated = { ...next, version: request.version + 1 };
    try {
      await this.deps.store.replace(request, updated, changesBetween(request, updated));
    } catch (error) {
      if (error instanceof VersionConflictError) {
        if (judgeAgain) return this.apply(id, events);
        return { ok: false, refusal: { code: 'wrongState', message: 'Another bot instance took this request.' } };
      }
      throw error;
    }
    return { ok: true, request: updated };
  }

  /** Refuses someone who is no approver; only the requester is then shown their own request. */
  private async asApprover(actor: Actor, id: string): Promise<ActionOutcome | undefined> {
    const check = await this.deps.approvers.check(actor);
    if (check.allowed) return undefined;
    const request = await this.deps.store.get(id);
    const own = request && sameActor(actor, request.requester) ? { request } : {};
    return { ok: false, refusal: { code: 'notApprover', message: check.reason }, ...own };
  }

  /**
   * Approves and starts the creation in the background: the caller answers the click at once,
   * and the outcome is stored with its changes for the bot to tell.
   */
  async approve(id: string, identity: CreationIdentity): Promise<ActionOutcome> {
    const { outcome: refused, presetOwners } = await this.judgeDecision(id, identity.actor, 'approve');
    if (!refused.ok) return refused;
    const withoutAccess = this.withoutAccess(identity, refused.request);
    if (withoutAccess) return withoutAccess;
    const creating = await this.apply(id, [
      { type: 'approve', actor: identity.actor, presetOwners },
      { type: 'startCreation', actor: identity.actor },
    ]);
    if (creating.ok) this.createInBackground(creating.request, identity);
    return creating;
  }

  /**
   * Whether `actor` may make this decision on the request as it is now, read and judged without
   * writing anything: asked before anyone is sent to sign in, and again when deciding.
   */
  async checkDecision(id: string, actor: Actor, decision: CreatingDecision): Promise<ActionOutcome> {
    return (await this.judgeDecision(id, actor, decision)).outcome;
  }

  /**
   * The decision judged, and the owners the group's kind requires as the directory has them now:
   * a device group is never made without its owner, so a decision waits until it exists.
   */
  private async judgeDecision(
    id: string,
    actor: Actor,
    decision: CreatingDecision,
  ): Promise<{ outcome: ActionOutcome; presetOwners?: DirectoryPrincipal[] }> {
    const denied = await this.asApprover(actor, id);
    if (denied) return { outcome: denied };
    const request = await this.deps.store.get(id);
    if (!request) return { outcome: notFound(id) };
    const judged = applyEvent(request, { type: decision, actor }, this.now());
    if (!judged.ok) return { outcome: { ok: false, refusal: judged.refusal, request } };
    const required = await this.presetOwners(request.spec.preset);
    if (required.problem) {
      const message = `${required.problem} Nothing was changed: decide again once it exists.`;
      return { outcome: { ok: false, refusal: { code: 'presetOwnerMissing', message }, request } };
    }
    return { outcome: { ok: true, request }, ...(required.owners.length ? { presetOwners: required.owners } : {}) };
  }

  private withoutAccess(identity: CreationIdentity, request: GroupRequest): ActionOutcome | undefined {
    if (!this.deps.approverAccessRequired || identity.access) return undefined;
    return { ok: false, request, refusal: { code: 'signInRequired', message: 'Sign in when Teams asks: the group is created with your own admin rights, so nothing is decided before you have signed in.' } };
  }

  async reject(id: string, actor: Actor, reason: string): Promise<ActionOutcome> {
    const denied = await this.asApprover(actor, id);
    if (denied) return denied;
    return this.apply(id, { type: 'reject', actor, reason });
  }

  async cancel(id: string, actor: Actor): Promise<ActionOutcome> {
    return this.shownTo(actor, await this.apply(id, { type: 'cancel', actor }));
  }

  /** Gives up a failed creation for good: a final state, and its mail nickname is free again. */
  async abandon(id: string, actor: Actor): Promise<ActionOutcome> {
    const denied = await this.asApprover(actor, id);
    if (denied) return denied;
    return this.apply(id, { type: 'abandon', actor });
  }

  async retry(id: string, identity: CreationIdentity): Promise<ActionOutcome> {
    const refused = await this.checkDecision(id, identity.actor, 'retry');
    if (!refused.ok) return refused;
    const withoutAccess = this.withoutAccess(identity, refused.request);
    if (withoutAccess) return withoutAccess;
    const retried = await this.apply(id, { type: 'retry', actor: identity.actor });
    if (retried.ok) this.createInBackground(retried.request, identity);
    return retried;
  }

  /** Resolves once no creation runs: for shutdown and tests. */
  async settled(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running.values()]);
  }

  private createInBackground(request: GroupRequest, identity: CreationIdentity): void {
    const work = this.create(request, identity)
      // Even recording the failure failed (the store is down): the request stays in `creating`,
      // and the next start or sweep finishes it. Nothing may bring the process down from here.
      .catch((error: unknown) => {
        this.deps.onBackgroundError?.(error, request);
        return request;
      })
      .finally(() => this.running.delete(request.id));
    this.running.set(request.id, work);
  }

  private async create(request: GroupRequest, identity: CreationIdentity): Promise<GroupRequest> {
    let outcome: GroupRequest;
    try {
      const writer = this.deps.writerFor(identity);
      outcome = await runCreation(request, writer, {
        store: this.deps.store,
        now: () => this.now(),
        checkpoint: this.deps.checkpoint,
        approverAsOwner: this.deps.approverAsOwner,
        nicknameTakenByAnotherGroup: (nickname, uniqueName) => this.deps.directory.mailNicknameInUse(nickname, uniqueName),
      });
    } catch (error) {
      this.deps.onBackgroundError?.(error, request);
      const fresh = (await this.deps.store.get(request.id)) ?? request;
      if (fresh.status !== 'creating') return fresh;
      const message =
        error instanceof DirectoryError
          ? error.message
          : 'Something unexpected stopped the creation; the bot logged the details. Retry finishes it without creating the group twice.';
      const code = error instanceof DirectoryError ? error.code : 'Unexpected';
      const permanent = error instanceof DirectoryError && error.permanent;
      outcome = await recordEvent(this.deps.store, fresh, { type: 'fail', code, message, permanent }, this.now());
    }
    return outcome;
  }

  /**
   * Finishes creations that were under way when a bot instance stopped: at start, and then
   * from time to time. A creation counts as abandoned once nothing was written to it for
   * `staleForMs` (a working instance writes at every step); each is claimed with one
   * conditional write first, so of several bot instances only one takes it over.
   */
  async resumeInterrupted(identityFor: (request: GroupRequest) => CreationIdentity, staleForMs: number): Promise<GroupRequest[]> {
    const interrupted = await this.deps.store.listByStatus(['approved', 'creating'], MAX_OPEN_REQUESTS);
    const staleBefore = Date.parse(this.now()) - staleForMs;
    const resumed: GroupRequest[] = [];
    for (const request of interrupted) {
      if (this.running.has(request.id) || Date.parse(request.updatedAt) > staleBefore) continue;
      const claimEvent: RequestEvent = request.status === 'approved' ? { type: 'startCreation', actor: 'system' } : { type: 'resume' };
      const claim = await this.apply(request.id, claimEvent, false);
      if (!claim.ok) continue;
      this.createInBackground(claim.request, identityFor(claim.request));
      resumed.push(claim.request);
    }
    return resumed;
  }
}
