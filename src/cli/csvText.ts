/**
 * CSV as RFC 4180 writes it, made safe to open in a spreadsheet: auditors open exports in Excel,
 * which runs a cell starting with = + - @ (or a tab or carriage return before one) as a formula.
 * Such a cell gets a leading apostrophe, the mark spreadsheets read as "text, not a formula"
 * (the OWASP advice), so `=HYPERLINK(...)` typed in a group's description stays text.
 */

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One record, ended by CRLF as RFC 4180 says. */
export function csvLine(values: readonly string[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
