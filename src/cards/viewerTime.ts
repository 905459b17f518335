/**
 * Where and how one person reads times: the IANA time zone and the locale their Teams client
 * reports. Cards shown to one person only give their local time next to UTC; cards many people
 * see keep UTC alone.
 */
export interface ViewerClock {
  timeZone: string;
  locale: string;
}

/** An IANA zone name ("Europe/Berlin", "America/Argentina/Buenos_Aires", "UTC"), before Intl is asked. */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]{0,29}(?:\/[A-Za-z0-9_+-]{1,30}){0,2}$/;
const DEFAULT_LOCALE = 'en-US';

/** Intl's own name for the zone (it may be an older alias), or undefined for anything that is not a zone it has. */
function resolvedZone(zone: string): string | undefined {
  if (!ZONE_NAME.test(zone)) return undefined;
  try {
    return new Intl.DateTimeFormat(DEFAULT_LOCALE, { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** The locale if this runtime can format dates in it, else the default. */
function knownLocale(locale: string | undefined): string {
  try {
    const [canonical] = Intl.getCanonicalLocales(locale ?? DEFAULT_LOCALE);
    return canonical && Intl.DateTimeFormat.supportedLocalesOf([canonical]).length ? canonical : DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

/**
 * The clock of a viewer whose client reported `zone` and `locale`, or undefined (times then in
 * UTC only) when the zone is missing, not an IANA zone this runtime knows, or UTC itself.
 */
export function viewerClock(zone: string | undefined, locale: string | undefined): ViewerClock | undefined {
  const resolved = zone ? resolvedZone(zone) : undefined;
  if (!zone || !resolved || ['UTC', 'Etc/UTC'].includes(resolved)) return undefined;
  // Shown as the client names it: Intl may know "Asia/Kolkata" by its old name "Asia/Calcutta".
  return { timeZone: zone, locale: knownLocale(locale) };
}

/** A stored time (ISO 8601, UTC) in the viewer's zone and locale, named by its zone; empty without a viewer. */
export function localTime(iso: string, viewer?: ViewerClock): string {
  if (!viewer) return '';
  const format = new Intl.DateTimeFormat(viewer.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: viewer.timeZone });
  return `${format.format(new Date(iso))} ${viewer.timeZone}`;
}

/** A stored time as UTC. */
export function utcTime(iso: string): string {
  return `${iso.replace('T', ' ').slice(0, 16)} UTC`;
}

/** A stored time as a card shows it: UTC, and the viewer's local time next to it. */
export function shownTime(iso: string, viewer?: ViewerClock): string {
  const local = localTime(iso, viewer);
  return local ? `${utcTime(iso)} (${local})` : utcTime(iso);
}
