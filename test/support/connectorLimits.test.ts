import { ConnectorRateLimits, MAX_MESSAGE_BYTES, utf16Bytes } from './connectorLimits';

/** The Bot Connector stand-in refuses what Teams documents it refuses, no more and no less. */
describe('the Bot Connector stand-in limits', () => {
  let clock = 0;
  const limits = () => new ConnectorRateLimits(() => clock);
  beforeEach(() => (clock = 0));

  it('lets 7 operations through in a second in one conversation, and asks to retry the 8th', () => {
    const l = limits();
    for (let i = 0; i < 7; i++) expect(l.admit('a')).toBe(0);
    expect(l.admit('a')).toBe(1);
    expect(l.admit('b')).toBe(0);
  });

  it('allows 8 in 2 seconds and 60 in 30 seconds, whatever the pace', () => {
    const l = limits();
    let admitted = 0;
    for (clock = 0; clock < 30_000; clock += 50) if (l.admit('a') === 0) admitted++;
    expect(admitted).toBe(60);
    clock = 29_999;
    const refusedFor = l.admit('a');
    expect(refusedFor).toBeGreaterThan(0);
    clock += refusedFor * 1000;
    expect(l.admit('a')).toBe(0);
  });

  it('allows 30 a second across the conversations of one app', () => {
    const l = limits();
    for (let i = 0; i < 30; i++) expect(l.admit(`c${i}`)).toBe(0);
    expect(l.admit('another')).toBe(1);
  });

  it('measures a message as UTF-16: 100 KB is 51,200 characters, whatever they are', () => {
    expect(utf16Bytes('é'.repeat(51_200))).toBe(MAX_MESSAGE_BYTES);
    expect(utf16Bytes('a'.repeat(51_201))).toBeGreaterThan(MAX_MESSAGE_BYTES);
  });
});
