import { APPROVER } from '../../src/dev/fixtures/wellKnown';

/** Raw HTTP against the emulator, as a Graph caller would send it, token "user:<approver>" by default; null sends none. */
export async function graphCall(
  graphUrl: string,
  method: string,
  path: string,
  body?: unknown,
  token: string | null = `user:${APPROVER.id}`,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await fetch(`${graphUrl}${path}`, {
    method,
    headers: {
      ...(token === null ? {} : { Authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

export const bind = (id: string, collection = 'directoryObjects') => `https://graph.microsoft.com/v1.0/${collection}/${id}`;
