import { Document, isMap, type YAMLMap, type YAMLSeq } from "yaml";
import type { DraftedExpectation, ExpectationDraft } from "./infer-expectations.js";

/**
 * Renders a draft as an expectations file: a header saying where it came from and how to use
 * it, then one block per column headed by a comment with what the data showed. Arguments are
 * written in flow style (`- not_null: {column: id}`), the way people write them by hand.
 */
export function renderExpectationsYaml(draft: ExpectationDraft): string {
  const doc = new Document({ expectations: [] as unknown[] });
  doc.commentBefore = [
    ` Expectations drafted by \`keel data infer-expectations\` from ${draft.source}`,
    ` (${draft.rowCount.toLocaleString("en-US")} rows, ${draft.columns.length} columns).`,
    " Bounds and value sets are the observed ones: review them, widen what may legitimately vary,",
    " and check data with: keel data validate DATA --expectations THIS_FILE",
  ].join("\n");
  const seq = doc.get("expectations", true) as YAMLSeq;
  const add = (e: DraftedExpectation, comment?: string) => {
    const item = doc.createNode({ [e.kind]: e.args }) as YAMLMap;
    const args = item.items[0]?.value;
    if (isMap(args)) args.flow = true;
    if (comment !== undefined) item.commentBefore = ` ${comment}`;
    seq.add(item);
  };
  const groups = [
    { comment: `table: observed ${draft.rowCount.toLocaleString("en-US")} rows`, expectations: draft.table },
    ...draft.columns.map((c) => ({ comment: `${c.name}: ${c.summary}`, expectations: c.expectations })),
  ];
  for (const group of groups) {
    for (const [i, e] of group.expectations.entries()) add(e, i === 0 ? group.comment : undefined);
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
