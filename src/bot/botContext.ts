import type { Logger } from 'pino';
import type { ApproverPolicy } from '../requests/approvers';
import type { RequestService } from '../requests/requestService';
import type { ApprovalsChannel } from './approvalsChannel';
import type { BackgroundWork } from './backgroundWork';
import type { RequestCardsPublisher } from './requestCardsPublisher';

/** Everything the bot's handlers use, made once at start. */
export interface BotContext {
  service: RequestService;
  approvers: ApproverPolicy;
  approvals: ApprovalsChannel;
  publisher: RequestCardsPublisher;
  tenantId: string;
  /** A submission answers within this time; longer ones answer "checking" and update later. */
  submitAnswerWithinMs: number;
  background: BackgroundWork;
  log: Logger;
}
