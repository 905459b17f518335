import { PAGE_SIZE, TeamRosters, teamsUserId, type RosterPerson } from './teamRosters';

/** The Bot Connector stand-in serves a team's roster as Teams documents it: paged, bounded, refused where Teams refuses. */
describe("the Bot Connector stand-in's team rosters", () => {
  const people: RosterPerson[] = Array.from({ length: 1_234 }, (_, i) => ({ aadObjectId: `id-${i}`, name: `Person ${i}` }));
  const rosters = () => {
    const r = new TeamRosters();
    r.add('19:team@thread.tacv2', ['19:channel@thread.tacv2'], people);
    return r;
  };
  const page = (r: TeamRosters, conversationId: string, query: Record<string, string> = {}) =>
    r.answer(conversationId, new URLSearchParams(query), 'tenant') as { status: number; body: any };

  it('serves 200 a page by default, never fewer than 50 nor more than 500, until the last page has no continuation token', () => {
    const r = rosters();
    expect(page(r, '19:team@thread.tacv2').body.members).toHaveLength(PAGE_SIZE.default);
    expect(page(r, '19:team@thread.tacv2', { pageSize: '10' }).body.members).toHaveLength(50);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const answer = page(r, '19:team@thread.tacv2', { pageSize: '5000', ...(token ? { continuationToken: token } : {}) });
      expect(answer.status).toBe(200);
      expect(answer.body.members.length).toBeLessThanOrEqual(500);
      seen.push(...answer.body.members.map((m: any) => m.aadObjectId));
      token = answer.body.continuationToken;
    } while (token);
    expect(seen).toEqual(people.map((p) => p.aadObjectId));
  });

  it('names each member by Teams user id and Entra object id, and answers a standard channel with its team', () => {
    const [first] = page(rosters(), '19:channel@thread.tacv2').body.members;
    expect(first).toMatchObject({ id: teamsUserId('id-0'), objectId: 'id-0', aadObjectId: 'id-0', name: 'Person 0', userRole: 'user' });
  });

  it('refuses an unknown conversation (404), a team the bot left (403) and a token it did not hand out (403)', () => {
    const r = rosters();
    expect(page(r, '19:elsewhere@thread.tacv2').status).toBe(404);
    expect(page(r, '19:team@thread.tacv2', { continuationToken: 'made-up' }).status).toBe(403);
    const token = page(r, '19:team@thread.tacv2').body.continuationToken;
    expect(page(r, '19:team@thread.tacv2', { continuationToken: token }).status).toBe(200);
    r.removeBot('19:team@thread.tacv2');
    expect(page(r, '19:channel@thread.tacv2').body.error.code).toBe('BotNotInConversationRoster');
  });
});
