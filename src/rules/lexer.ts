import type { Span } from './ast';
import { type RuleError, ruleError } from './errors';

/**
 * Splits rule text into tokens. Operators may be written with a hyphen or, as Microsoft's own
 * examples do, with an en dash (`–eq`) or without any dash (`or`): the parser decides what a bare
 * word means from where it stands.
 */

export type TokenKind =
  | 'lparen'
  | 'rparen'
  | 'lbracket'
  | 'rbracket'
  | 'comma'
  | 'string'
  | 'dashWord'
  | 'word'
  /** A quote never closed: the rest of the text. Reported when the parser reaches it, so earlier problems come first. */
  | 'unterminated'
  | 'end';

export interface Token {
  kind: TokenKind;
  /** The text as written. */
  raw: string;
  /** A string's content with escapes resolved; a dashWord's word without its dash; otherwise `raw`. */
  value: string;
  span: Span;
  /** Why an unterminated token cannot be read. */
  problem?: RuleError;
}

const PUNCTUATION: Record<string, TokenKind> = { '(': 'lparen', ')': 'rparen', '[': 'lbracket', ']': 'rbracket', ',': 'comma' };
const DASHES = new Set(['-', '\u2013', '\u2014']);
const WORD_BREAKERS = new Set(['(', ')', '[', ']', ',', '"', "'"]);

function isSpace(ch: string): boolean {
  return /\s/.test(ch);
}

function isWordChar(ch: string): boolean {
  return !isSpace(ch) && !WORD_BREAKERS.has(ch);
}

function isLetter(ch: string | undefined): boolean {
  return ch !== undefined && /[A-Za-z]/.test(ch);
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (isSpace(ch)) {
      i++;
      continue;
    }
    const punctuation = PUNCTUATION[ch];
    if (punctuation) {
      tokens.push({ kind: punctuation, raw: ch, value: ch, span: { offset: i, length: 1 } });
      i++;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const token = ch === '"' ? readDoubleQuoted(text, i) : readSingleQuoted(text, i);
      tokens.push(token);
      i += token.span.length;
      continue;
    }
    let end = i + 1;
    while (end < text.length && isWordChar(text[end])) end++;
    const raw = text.slice(i, end);
    const span = { offset: i, length: end - i };
    if (DASHES.has(ch) && isLetter(text[i + 1])) {
      tokens.push({ kind: 'dashWord', raw, value: raw.slice(1), span });
    } else {
      tokens.push({ kind: 'word', raw, value: raw, span });
    }
    i = end;
  }
  tokens.push({ kind: 'end', raw: '', value: '', span: { offset: text.length, length: 0 } });
  return tokens;
}

/** A double-quoted string: a backtick makes the next character literal (`" and ``). */
function readDoubleQuoted(text: string, start: number): Token {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '`') {
      if (i + 1 >= text.length) break;
      value += text[i + 1];
      i += 2;
      continue;
    }
    if (ch === '"') {
      const length = i + 1 - start;
      return { kind: 'string', raw: text.slice(start, i + 1), value, span: { offset: start, length } };
    }
    value += ch;
    i++;
  }
  return unterminated(text, start, '"', 'a double quote inside the text is written `"');
}

/** A single-quoted string: two single quotes stand for one. */
function readSingleQuoted(text: string, start: number): Token {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "'") {
      if (text[i + 1] === "'") {
        value += "'";
        i += 2;
        continue;
      }
      const length = i + 1 - start;
      return { kind: 'string', raw: text.slice(start, i + 1), value, span: { offset: start, length } };
    }
    value += ch;
    i++;
  }
  return unterminated(text, start, "'", "a single quote inside the text is written ''");
}

function unterminated(text: string, start: number, quote: string, escapeHint: string): Token {
  const span = { offset: start, length: text.length - start };
  const problem = ruleError(`This text value has no closing ${quote} (${escapeHint}).`, span.offset, span.length);
  return { kind: 'unterminated', raw: text.slice(start), value: '', span, problem };
}
