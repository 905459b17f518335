import type { Activity } from 'botbuilder';
import type { Actor } from '../requests/groupRequest';

/** Who sent an activity, from the activity itself (never from card data). */
function actorOf(activity: Activity): Actor | undefined {
  const id = activity.from?.aadObjectId;
  if (!id) return undefined;
  // Entra object ids are GUIDs, compared without case; one spelling keeps every comparison simple.
  return { aadObjectId: id.toLowerCase(), name: activity.from.name || 'Unknown user' };
}

function tenantOf(activity: Activity): string | undefined {
  const channelTenant = (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
  return channelTenant ?? activity.conversation?.tenantId;
}

export type SenderCheck = { ok: true; actor: Actor } | { ok: false; reason: string };

/** Only people of the configured tenant, with an Entra identity, may use the bot. */
export function checkSender(activity: Activity, tenantId: string): SenderCheck {
  const tenant = tenantOf(activity);
  if (!tenant || tenant.toLowerCase() !== tenantId.toLowerCase()) {
    return { ok: false, reason: `This bot serves one Microsoft Entra tenant only; this conversation belongs to ${tenant ?? 'no tenant'}.` };
  }
  const actor = actorOf(activity);
  if (!actor) return { ok: false, reason: 'Teams did not say who you are (no Entra object id), so I cannot act on this.' };
  return { ok: true, actor };
}
