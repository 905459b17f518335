import type { Logger } from 'pino';
import type { FormDrafts } from '../requests/formDrafts';
import type { ApproverPolicy } from '../requests/approvers';
import type { RequestService } from '../requests/requestService';
import type { ApprovalsChannel } from './approvalsChannel';
import type { BackgroundWork } from './backgroundWork';
import type { ConversationMessenger } from './conversationMessenger';
import type { RequestCardEdits } from './requestCardEdits';

/** Everything the bot's handlers use, made once at start. */
export interface BotContext {
  service: RequestService;
  approvers: ApproverPolicy;
  approvals: ApprovalsChannel;
  /** Every edit of a message the bot sent, paced and never older than what that message shows. */
  edits: RequestCardEdits;
  /** Messages outside a turn's own conversation, such as answers sent to a personal chat. */
  messenger: ConversationMessenger;
  tenantId: string;
  /** A submission answers within this time; longer ones answer "checking" and update later. */
  submitAnswerWithinMs: number;
  /** What requesters typed, kept while a form is checked or shown again. */
  drafts: FormDrafts;
  /** A decision (Approve, Reject, Cancel, Retry, Abandon) answers within this time whatever Graph does. */
  decisionAnswerWithinMs: number;
  background: BackgroundWork;
  log: Logger;
}
