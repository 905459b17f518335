import { MAX_COMMAND_TEXT, parseCommand } from '../../src/bot/commandText';
import { plainMessageText } from '../../src/bot/messageText';

describe('reading a command from what Teams delivers', () => {
  it('reads a channel message with the mention tag and a non-breaking space, as Teams sends it', () => {
    expect(parseCommand('<at>Group Requests</at>&nbsp;use this channel for approvals')).toEqual({ kind: 'useChannelForApprovals' });
    expect(parseCommand('<at>Group Requests</at>&nbsp;status&nbsp;#7kq2mh4d')).toEqual({ kind: 'status', requestId: '7KQ2MH4D' });
    expect(parseCommand('<at>Group Requests</at>\u00a0new group')).toEqual({ kind: 'newGroup' });
  });

  it('ignores the mention wherever it stands, and mentions of other people', () => {
    expect(parseCommand('pending <AT>Group Requests</AT>')).toEqual({ kind: 'pending' });
    expect(parseCommand('<at>Adele Vance</at> <at>Group Requests</at> help')).toEqual({ kind: 'help' });
  });

  it('decodes named and numeric entities', () => {
    expect(plainMessageText('Tom &amp; Jerry &lt;3 &gt; &quot;q&quot; &#39;s&#39; &apos;a&apos; &#x41;&#66;')).toBe(
      `Tom & Jerry <3 > "q" 's' 'a' AB`,
    );
    expect(plainMessageText('&NBSP;help&Nbsp;')).toBe('help');
  });

  it('leaves what is not an entity as typed', () => {
    expect(plainMessageText('AT&T &copy; &#xD800; &#0; &#99999999; &; &')).toBe('AT&T &copy; &#xD800; &#0; &#99999999; &; &');
  });

  it('does not decode twice: an escaped entity stays an entity', () => {
    expect(parseCommand('&amp;nbsp;help')).toEqual({ kind: 'unknown', text: '&nbsp;help' });
  });

  it('ignores closing full stops and exclamation marks, case and extra spaces', () => {
    expect(parseCommand('  New   Group!!.')).toEqual({ kind: 'newGroup' });
    expect(parseCommand('cancel 7KQ2MH4D.')).toEqual({ kind: 'cancel', requestId: '7KQ2MH4D' });
    expect(parseCommand('...')).toEqual({ kind: 'unknown', text: '...' });
  });

  it('repeats a short excerpt of text it does not understand', () => {
    expect(parseCommand('make me a sandwich')).toEqual({ kind: 'unknown', text: 'make me a sandwich' });
    const long = parseCommand('word '.repeat(60));
    expect(long.kind).toBe('unknown');
    expect(long.kind === 'unknown' && long.text).toMatch(/^(word ){15}word…$/);
  });

  it('takes nothing over the length of a command as a command, and reads only its start', () => {
    const padded = `help${' '.repeat(MAX_COMMAND_TEXT)}`;
    expect(parseCommand(padded)).toEqual({ kind: 'unknown', text: 'help' });
    expect(parseCommand('.'.repeat(1_000_000))).toEqual({ kind: 'unknown', text: `${'.'.repeat(80)}…` });
    expect(parseCommand(`<at>${'a'.repeat(1_000_000)}`).kind).toBe('unknown');
  });

  it('treats an absent text as an empty, unknown one', () => {
    expect(parseCommand(undefined)).toEqual({ kind: 'unknown', text: '' });
  });
});
