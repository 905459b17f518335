/**
 * The `state` a bot passes to `GET /api/botsignin/GetSignInResource`: base64 JSON of the
 * connection, the bot's app id and the conversation reference of the activity that asks
 * (botbuilder's `UserTokenClient.createTokenExchangeState`). The token service learns from it
 * whom a sign-in is for: `conversation.user.id` and `conversation.channelId`.
 */
export interface TokenExchangeState {
  connectionName: string;
  msAppId: string;
  userId: string;
  channelId: string;
}

export function readTokenExchangeState(state: string | null): TokenExchangeState | undefined {
  if (!state) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(state, 'base64').toString('utf8')) as {
      connectionName?: unknown;
      msAppId?: unknown;
      conversation?: { user?: { id?: unknown }; channelId?: unknown };
    };
    const { connectionName, msAppId } = parsed;
    const userId = parsed.conversation?.user?.id;
    const channelId = parsed.conversation?.channelId;
    if ([connectionName, msAppId, userId, channelId].some((field) => typeof field !== 'string' || !field)) return undefined;
    return { connectionName, msAppId, userId, channelId } as TokenExchangeState;
  } catch {
    return undefined;
  }
}
