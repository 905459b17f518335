import { csvField, csvLine } from '../../src/cli/csvText';
import { csvRecords } from '../support/csvRecords';

describe('CSV cells as RFC 4180 writes them, safe to open in a spreadsheet', () => {
  test('plain text stays as it is; commas, quotes and line breaks are quoted, quotes doubled', () => {
    expect(csvField('SG-Finance')).toBe('SG-Finance');
    expect(csvField('Sales, EU')).toBe('"Sales, EU"');
    expect(csvField('the "quarter close" group')).toBe('"the ""quarter close"" group"');
    expect(csvField('line one\nline two\r\nthree')).toBe('"line one\nline two\r\nthree"');
    expect(csvField(' padded ')).toBe('" padded "');
    expect(csvField('')).toBe('');
  });

  test.each([
    ['=HYPERLINK("https://evil.example")', `"'=HYPERLINK(""https://evil.example"")"`],
    ['+1-555-0100', "'+1-555-0100"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['\t=1+1', `'\t=1+1`],
    ['\r=1+1', `"'\r=1+1"`],
  ])('a cell a spreadsheet would run as a formula, %j, is written as text', (value, written) => {
    expect(csvField(value)).toBe(written);
  });

  test('a record ends with CRLF and reads back field by field, whatever it holds', () => {
    const values = ['a,b', 'say "hi"', 'two\nlines', '', '=cmd', 'plain'];
    const text = csvLine(values) + csvLine(['x']);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(csvRecords(text)).toEqual([['a,b', 'say "hi"', 'two\nlines', '', "'=cmd", 'plain'], ['x']]);
  });
});
