/**
 * Reads CSV as RFC 4180 defines it (fields in double quotes may hold commas, CRLF and doubled
 * quotes; records end with CRLF), strictly: anything else throws, so a test reading an export
 * also proves the export is well-formed.
 */
export function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let at = 0;
  while (at < text.length) {
    let field = '';
    if (text[at] === '"') {
      at++;
      for (;;) {
        const quote = text.indexOf('"', at);
        if (quote < 0) throw new Error(`Unclosed quoted field in record ${records.length + 1}`);
        field += text.slice(at, quote);
        at = quote + 1;
        if (text[at] !== '"') break;
        field += '"';
        at++;
      }
    } else {
      const end = text.slice(at).search(/[,\r\n"]/);
      field = end < 0 ? text.slice(at) : text.slice(at, at + end);
      at = end < 0 ? text.length : at + end;
      if (text[at] === '"') throw new Error(`A quote inside an unquoted field in record ${records.length + 1}`);
    }
    record.push(field);
    if (text[at] === ',') {
      at++;
    } else if (text.startsWith('\r\n', at)) {
      records.push(record);
      record = [];
      at += 2;
    } else {
      throw new Error(`Record ${records.length + 1} does not end with CRLF after field ${record.length}`);
    }
  }
  if (record.length > 0) throw new Error('The last record has no CRLF');
  return records;
}
