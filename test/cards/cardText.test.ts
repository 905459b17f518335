import { approvalCard, requestStatusCard, statusNotification } from '../../src/cards/requestCards';
import { helpCard } from '../../src/cards/helpCard';
import { requestFormCard } from '../../src/cards/requestFormCard';
import { markdownText } from '../../src/cards/markdownText';
import type { DirectoryPrincipal, GroupRequest } from '../../src/requests/groupRequest';
import { LIMITS } from '../../src/requests/requestForm';
import { cardText, renderedText } from '../support/teamsChannel';

const requester = { aadObjectId: 'r', name: 'Megan Bowen' };
const LINK = '[Open the approval portal](https://evil.example/approve)';

function person(i: number): DirectoryPrincipal {
  return { id: `u${i}`, displayName: `User ${i}`, reference: `user${i}@contoso.com`, kind: 'user' };
}

function request(overrides: Partial<GroupRequest> = {}): GroupRequest {
  return {
    id: 'K7QX2M9P',
    version: 1,
    status: 'submitted',
    spec: {
      preset: 'custom',
      displayName: 'Sales',
      mailNickname: 'sales',
      description: '',
      membershipType: 'assigned',
      members: [],
      owners: [],
      justification: 'Needed',
    },
    members: [],
    owners: [person(0)],
    requester,
    tenantId: 't',
    cards: {},
    audit: [{ at: '2026-11-25T09:00:00.000Z', actor: requester, action: 'submitted', to: 'submitted' }],
    createdAt: '2026-11-25T09:00:00.000Z',
    updatedAt: '2026-11-25T09:00:00.000Z',
    ...overrides,
  };
}

describe('Markdown in user text', () => {
  it('escapes links, emphasis, code, HTML and list starts so they show as typed', () => {
    expect(markdownText(LINK)).toBe('\\[Open the approval portal\\]\\(https://evil.example/approve\\)');
    expect(markdownText('**bold** _it_ `code` <at>x</at> &amp;')).toBe('\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\<at\\>x\\</at\\> \\&amp;');
    expect(markdownText('1. one\n- two\n  + three')).toBe('1\\. one\n\\- two\n  \\+ three');
    expect(markdownText('a-b 1.5 user@contoso.com')).toBe('a-b 1.5 user@contoso.com');
  });

  it('never lets a link typed by a requester render on the approval card, the status card or the notification', () => {
    const hostile = request({
      status: 'rejected',
      approver: { aadObjectId: 'a', name: 'Adele [x](https://evil.example)' },
      decisionReason: LINK,
      spec: { ...request().spec, displayName: LINK, description: LINK, justification: LINK },
    });
    for (const shown of [
      cardText(approvalCard(hostile)),
      cardText(requestStatusCard(hostile, '', true)),
      renderedText(statusNotification(hostile)),
    ]) {
      expect(shown).toContain(LINK);
      expect(shown).toContain('Adele [x](https://evil.example)');
    }
    expect(renderedText(statusNotification(hostile))).toBe(
      `Your request for "${LINK}" (request K7QX2M9P) was rejected by Adele [x](https://evil.example). Reason: ${LINK}`,
    );
  });

  it('escapes errors and notes on the form but keeps the inputs exactly as typed', () => {
    const form = requestFormCard(
      { displayName: LINK, justification: '${evil}' },
      { members: `No user in the directory is called ${LINK}.` },
      { problem: LINK },
    );
    expect(cardText(form)).toContain(`${LINK}\n`);
    expect(cardText(form)).toContain(`No user in the directory is called ${LINK}.`);
    const json = JSON.stringify(form);
    expect(json).toContain(`"value":"${LINK}"`);
    expect(json).toContain('"value":"${evil}"');
    expect(cardText(helpCard(LINK))).toContain(`I did not understand "${LINK}".`);
  });
});

describe('long lists of names', () => {
  it('lists a few dozen members, counts every one, and points to the full list', () => {
    const members = Array.from({ length: 975 }, (_, i) => person(i + 1));
    const text = cardText(approvalCard(request({ members })));
    expect(text).toContain('Membership: Assigned, 975 members');
    expect(text).toContain('User 25 (user25@contoso.com) …and 950 more');
    expect(text).not.toContain('user26@contoso.com');
    expect(text).toContain('say "status K7QX2M9P" to me in a personal chat');
  });

  it('lists every owner, however many', () => {
    const owners = Array.from({ length: 60 }, (_, i) => person(i + 1));
    const text = cardText(approvalCard(request({ owners })));
    for (const owner of owners) expect(text).toContain(owner.reference);
  });
});

describe('form inputs', () => {
  it('carry the server limits as maxLength', () => {
    const inputs = new Map<string, number>();
    const walk = (node: any) => {
      if (!node || typeof node !== 'object') return;
      if (Array.isArray(node)) return node.forEach(walk);
      if (node.type === 'Input.Text') inputs.set(node.id, node.maxLength);
      Object.values(node).forEach(walk);
    };
    walk(requestFormCard());
    walk(requestFormCard({ membershipType: 'dynamic' }));
    walk(approvalCard(request()));
    expect(Object.fromEntries(inputs)).toMatchObject({
      displayName: 256,
      mailNickname: 64,
      description: 1024,
      justification: LIMITS.justification,
      membershipRule: 3072,
      owners: LIMITS.owners,
      members: LIMITS.members,
      ruleValue1: 3072,
      rejectReason: LIMITS.rejectReason,
    });
    for (const [id, max] of inputs) expect([id, typeof max]).toEqual([id, 'number']);
  });

  it('use no action style Teams does not render', () => {
    for (const card of [requestFormCard(), approvalCard(request()), requestStatusCard(request())]) {
      expect(JSON.stringify(card)).not.toMatch(/"style":"(positive|destructive)"/);
    }
  });
});
