/**
 * A small RFC 4180 CSV reader for `/invocations` bodies (`text/csv`, as pandas'
 * `DataFrame.to_csv(index=False)` writes them): quoted fields, doubled quotes, CRLF or LF.
 */
import { invalidParam } from "../../errors.js";

/** Parses `text` into a header and rows of raw strings; every row must have the header's width. */
export function parseCsv(text: string): { header: string[]; rows: string[][] } {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  let i = 0;
  const endField = () => {
    record.push(field);
    field = "";
  };
  const endRecord = () => {
    endField();
    if (!(record.length === 1 && record[0] === "")) records.push(record);
    record = [];
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === "") quoted = true;
    else if (c === ",") endField();
    else if (c === "\n") endRecord();
    else if (c !== "\r") field += c;
    i++;
  }
  if (quoted) throw invalidParam("The CSV body ends inside a quoted field: close the quote");
  if (field !== "" || record.length > 0) endRecord();
  const [header, ...rows] = records;
  if (header === undefined)
    throw invalidParam("The CSV body is empty: send a header line and at least one row");
  rows.forEach((r, k) => {
    if (r.length !== header.length) {
      throw invalidParam(
        `CSV line ${k + 2} has ${r.length} fields but the header has ${header.length} (${header.join(", ")})`,
      );
    }
  });
  return { header, rows };
}
