import type { Activity } from 'botbuilder';
import { viewerClock, type ViewerClock } from '../cards/viewerTime';

/**
 * The sender's clock, as their Teams client reports it: `localTimezone` (IANA) and `locale` on
 * the activity, or else the `clientInfo` entity's `timezone` and `locale`. Nothing is trusted:
 * an unknown zone means UTC only.
 */
export function viewerClockOf(activity: Activity): ViewerClock | undefined {
  const clientInfo = (activity.entities ?? []).find((entity) => entity.type === 'clientInfo') as
    { timezone?: unknown; locale?: unknown } | undefined;
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return viewerClock(text(activity.localTimezone) ?? text(clientInfo?.timezone), text(activity.locale) ?? text(clientInfo?.locale));
}
