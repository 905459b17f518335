import type { UserTokenClient } from 'botframework-connector';

/** The answer of a start-up look at the bot's OAuth connections. */
export type ConnectionCheck = { found: true } | { found: false; connections: string[] } | { unknown: string };

/**
 * Whether the Bot Framework token service knows the connection, from the token status it gives
 * for every connection of the bot (any user will do: only the names are read).
 */
export async function checkOAuthConnection(client: UserTokenClient, connectionName: string): Promise<ConnectionCheck> {
  try {
    const statuses = (await client.getTokenStatus('start-up-check', 'msteams', '')) ?? [];
    const connections = statuses.map((status) => status.connectionName ?? '').filter(Boolean);
    return connections.includes(connectionName) ? { found: true } : { found: false, connections };
  } catch (error) {
    return { unknown: error instanceof Error ? error.message : String(error) };
  }
}
