/** Graph's rules for a group's mailNickname (Create group, group resource type). */
const MAIL_NICKNAME_MAX = 64;
const FORBIDDEN = /[@()\\[\]";:<>,\s]/g;

/** A nickname Graph accepts, made from the display name, for when the requester leaves it empty. */
export function deriveMailNickname(displayName: string): string {
  return displayName
    .normalize('NFKD')
    .replace(/[^\x00-\x7f]/g, '')
    .replace(FORBIDDEN, '-')
    .replace(/[^A-Za-z0-9._-]/g, '')
    .replace(/-+/g, '-')
    .replace(/^[.-]+|(?<!-)-+$/g, '')
    .slice(0, MAIL_NICKNAME_MAX);
}

export function mailNicknameProblem(nickname: string): string | undefined {
  if (!nickname) return 'Give a mail nickname (letters, digits, dots, dashes).';
  if (nickname.length > MAIL_NICKNAME_MAX) {
    return `A mail nickname can have at most ${MAIL_NICKNAME_MAX} characters (this one has ${nickname.length}).`;
  }
  if (/[^\x00-\x7f]/.test(nickname)) return 'A mail nickname can use ASCII characters only.';
  const forbidden = [...new Set(nickname.match(FORBIDDEN) ?? [])].map((c) => (c.trim() ? c : 'spaces'));
  if (forbidden.length > 0) return `A mail nickname cannot contain ${forbidden.join(' ')}.`;
  if (nickname.startsWith('.')) return 'A mail nickname cannot start with a dot.';
  return undefined;
}
