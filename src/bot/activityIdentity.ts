import type { Activity } from 'botbuilder';
import type { Actor } from '../requests/groupRequest';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Entra object and tenant ids are GUIDs, whatever their case: one id may arrive upper- or lower-cased. */
export function sameObjectId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** An Entra object id as the bot keeps it: a GUID, lower-cased, so one person is one id everywhere. */
export function objectIdOf(value: unknown): string | undefined {
  return typeof value === 'string' && GUID.test(value) ? value.toLowerCase() : undefined;
}

/** Who sent an activity, from the activity itself (never from card data). */
function actorOf(activity: Activity): Actor | undefined {
  const id = objectIdOf(activity.from?.aadObjectId);
  if (!id) return undefined;
  // Entra object ids are GUIDs, compared without case; one spelling keeps every comparison simple.
  return { aadObjectId: id.toLowerCase(), name: activity.from.name || 'Unknown user' };
}

export type SenderCheck = { ok: true; actor: Actor } | { ok: false; reason: string };

const refuse = (reason: string): SenderCheck => ({ ok: false, reason });

/** Only people of the configured tenant, in Teams, with an Entra identity, may use the bot. */
export function checkSender(activity: Activity, tenantId: string): SenderCheck {
  if (activity.channelId !== 'msteams')
    return refuse(`This bot works in Microsoft Teams only, not in ${activity.channelId || 'an unnamed channel'}.`);
  const channelTenant = (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
  const conversationTenant = activity.conversation?.tenantId;
  if (channelTenant && conversationTenant && !sameObjectId(channelTenant, conversationTenant)) {
    return refuse('This conversation names two different tenants, so I cannot tell whose it is and do nothing with it.');
  }
  const tenant = channelTenant ?? conversationTenant;
  if (!tenant || !sameObjectId(tenant, tenantId)) {
    return refuse(`This bot serves one Microsoft Entra tenant only; this conversation belongs to ${tenant ?? 'no tenant'}.`);
  }
  const actor = actorOf(activity);
  if (!actor) return refuse('Teams did not say who you are (no Entra object id), so I cannot act on this.');
  return { ok: true, actor };
}
