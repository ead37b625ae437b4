/** Small shared pieces: loading and error states, a key/value table, a run status badge. */
import type { ReactNode } from "react";
import type { KeyValue } from "../api/types";

/** An error box. */
export function ErrorBox({ error }: { error: Error | undefined }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {error.message}
    </p>
  );
}

/** Loading text, announced politely. */
export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" aria-live="polite">
      Loading {what}…
    </p>
  );
}

/** A two-column table of keys and values. */
export function KeyValueTable({
  rows,
  caption,
  empty,
}: {
  rows: KeyValue[];
  caption: string;
  empty: string;
}) {
  if (rows.length === 0) return <p className="muted">{empty}</p>;
  return (
    <table className="kv">
      <caption>{caption}</caption>
      <tbody>
        {[...rows]
          .sort((a, b) => a.key.localeCompare(b.key))
          .map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.key}</th>
              <td>{r.value}</td>
            </tr>
          ))}
      </tbody>
    </table>
  );
}

/** A status badge (FINISHED, FAILED, RUNNING, ...). */
export function Status({ status }: { status: string }) {
  return <span className={`badge status-${status.toLowerCase()}`}>{status}</span>;
}

/** A titled section. */
export function Section({ title, children, id }: { title: string; children: ReactNode; id?: string }) {
  const hid = `${id ?? title.toLowerCase().replace(/\W+/g, "-")}-h`;
  return (
    <section aria-labelledby={hid} className="section">
      <h2 id={hid}>{title}</h2>
      {children}
    </section>
  );
}
