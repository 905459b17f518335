import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { ApprovalPolicy } from './requests/approvalPolicy';
import { MAX_STAGES, type ApprovalChannel } from './requests/approvalRoute';
import { MEMBERSHIP_TYPES, PRESETS } from './requests/groupRequest';
import { parseIsoDuration, type IsoDuration } from './requests/isoDuration';

/**
 * The approval policy file named by APPROVAL_POLICY_FILE (JSON, or YAML for .yaml and .yml),
 * read and checked once at start. Each problem names the route and the field, so an operator
 * fixes the file without guessing.
 */

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a group object id (a GUID)');

const duration = z.string().transform((text, ctx) => {
  const parsed = parseIsoDuration(text);
  if (parsed.ok) return parsed.duration;
  ctx.addIssue({ code: 'custom', message: parsed.problem });
  return z.NEVER;
});

const channelId = z
  .string()
  .regex(/^19:[^\s;]+@thread\.[a-z0-9]+$/, "must be a Teams channel's id, such as 19:…@thread.tacv2 (in the channel's link)");

const Stage = z
  .object({ name: z.string().trim().min(1).max(80).optional(), approversGroupId: guid, channel: channelId.optional() })
  .strict();

const Escalation = z.object({ after: duration, approversGroupId: guid, channel: channelId.optional() }).strict();

const Match = z
  .object({
    kinds: z.array(z.enum(PRESETS)).min(1).optional(),
    displayNamePrefix: z.string().min(1).max(256).optional(),
    membershipType: z.enum(MEMBERSHIP_TYPES).optional(),
    minSize: z.number().int().min(0).optional(),
    maxSize: z.number().int().min(0).optional(),
  })
  .strict()
  .refine((m) => m.minSize === undefined || m.maxSize === undefined || m.minSize <= m.maxSize, {
    message: 'is smaller than minSize, so no request could match',
    path: ['maxSize'],
  });

const Route = z
  .object({
    name: z.string().trim().min(1).max(80),
    match: Match.default({}),
    stages: z.array(Stage).min(1, 'must name at least one stage').max(MAX_STAGES, `may name at most ${MAX_STAGES} stages`),
    remindAfter: duration.optional(),
    escalation: Escalation.optional(),
    expireAfter: duration.optional(),
  })
  .strict()
  .superRefine((route, ctx) => {
    const expiry = route.expireAfter;
    if (!expiry) return;
    const expiresFirst = (after: IsoDuration | undefined, path: string[]) => {
      if (after && after.ms >= expiry.ms)
        ctx.addIssue({
          code: 'custom',
          path,
          message: `(${after.iso}) must be shorter than expireAfter (${expiry.iso}): the request expires first`,
        });
    };
    expiresFirst(route.remindAfter, ['remindAfter']);
    expiresFirst(route.escalation?.after, ['escalation', 'after']);
  });

const PolicyFile = z
  .object({
    /** The Bot Connector service URL of the channels named; APPROVALS_SERVICE_URL, or the chosen approvals channel's, when left out. */
    serviceUrl: z.string().url().optional(),
    routes: z.array(Route).min(1, 'must name at least one route'),
  })
  .strict()
  .superRefine((policy, ctx) => {
    const seen = new Set<string>();
    policy.routes.forEach((route, index) => {
      const key = route.name.toLowerCase();
      if (seen.has(key))
        ctx.addIssue({
          code: 'custom',
          path: ['routes', index, 'name'],
          message: "is an earlier route's name too (names are compared without case)",
        });
      seen.add(key);
    });
  });

type Path = readonly (string | number)[];

/** `stages[0].approversGroupId`, as the file spells where a value is. */
const fieldPath = (path: Path): string => path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i ? `.${part}` : part)).join('');

/** `route "Finance" (routes[1]): stages[0].approversGroupId`: where in the file a problem is. */
function place(path: Path, raw: unknown): string {
  const [first, index, ...rest] = path;
  if (first === 'routes' && typeof index === 'number') {
    const name = (raw as { routes?: { name?: unknown }[] } | undefined)?.routes?.[index]?.name;
    const route = `route ${typeof name === 'string' ? `"${name}"` : `#${index + 1}`} (routes[${index}])`;
    return rest.length ? `${route}: ${fieldPath(rest)}` : route;
  }
  return path.length ? fieldPath(path) : 'the file';
}

function issueText(issue: z.ZodIssue, raw: unknown): string {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => `"${key}"`).join(', ');
    return `${place(issue.path, raw)} has a field it does not know: ${keys}`;
  }
  return `${place(issue.path, raw)} ${issue.message}`;
}

/** A policy file the bot cannot use: every problem, each naming its route and field. */
export class ApprovalPolicyFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`The approval policy ${file} is not usable: ${problems.join('; ')}`);
    this.name = 'ApprovalPolicyFileError';
  }
}

function readDocument(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ApprovalPolicyFileError(file, [`cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`]);
  }
  const yaml = ['.yaml', '.yml'].includes(extname(file).toLowerCase());
  try {
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new ApprovalPolicyFileError(file, [`is not valid ${yaml ? 'YAML' : 'JSON'}: ${(error as Error).message}`]);
  }
}

const onChannel = (conversationId: string | undefined, serviceUrl: string | undefined): { channel?: ApprovalChannel } =>
  conversationId ? { channel: { conversationId, ...(serviceUrl ? { serviceUrl } : {}) } } : {};

/**
 * Reads and checks the policy. `approvalsServiceUrl` (APPROVALS_SERVICE_URL) is the service URL
 * of channels named when the file gives none.
 */
export function readApprovalPolicy(file: string, approvalsServiceUrl?: string): ApprovalPolicy {
  const raw = readDocument(file);
  const parsed = PolicyFile.safeParse(raw);
  if (!parsed.success)
    throw new ApprovalPolicyFileError(
      file,
      parsed.error.issues.map((issue) => issueText(issue, raw)),
    );
  const serviceUrl = parsed.data.serviceUrl ?? approvalsServiceUrl;
  return {
    routes: parsed.data.routes.map((route) => ({
      name: route.name,
      match: route.match,
      stages: route.stages.map((stage, index) => ({
        name: stage.name ?? `Stage ${index + 1}`,
        approversGroupId: stage.approversGroupId,
        ...onChannel(stage.channel, serviceUrl),
      })),
      ...(route.remindAfter ? { remindAfter: route.remindAfter } : {}),
      ...(route.escalation
        ? {
            escalation: {
              after: route.escalation.after,
              approversGroupId: route.escalation.approversGroupId,
              ...onChannel(route.escalation.channel, serviceUrl),
            },
          }
        : {}),
      ...(route.expireAfter ? { expireAfter: route.expireAfter } : {}),
    })),
  };
}
