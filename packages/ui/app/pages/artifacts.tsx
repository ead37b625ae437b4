/**
 * A run's artifacts: a folder tree (artifacts/list, one level at a time) and a preview of the
 * chosen file: text, pretty JSON, the head of a CSV as a table, images, and HTML reports in a
 * sandboxed frame (no scripts, no same-origin access).
 */
import { useEffect, useState } from "react";
import { artifactBlob, get } from "../api/client";
import type { FileInfo } from "../api/types";
import { ErrorBox, Loading } from "../components/status";
import { bytes } from "../format";
import { useAsync } from "../use-async";

/** Largest file previewed (bigger ones are offered as downloads only). */
const MAX_PREVIEW = 2 * 1024 * 1024;
/** Rows of a CSV preview. */
const CSV_HEAD = 20;

/** The browser of one run's artifacts. */
export function ArtifactBrowser({ runId }: { runId: string }) {
  const [file, setFile] = useState<FileInfo | null>(null);
  return (
    <div className="artifacts">
      <nav className="tree" aria-label="Artifact files">
        <Folder runId={runId} path="" onPick={setFile} picked={file?.path} />
      </nav>
      <div className="preview">
        {file ? <Preview runId={runId} file={file} /> : <p className="muted">Choose a file to preview it.</p>}
      </div>
    </div>
  );
}

function Folder({
  runId,
  path,
  onPick,
  picked,
}: {
  runId: string;
  path: string;
  onPick: (f: FileInfo) => void;
  picked: string | undefined;
}) {
  const state = useAsync(
    () => get<{ files?: FileInfo[] }>("mlflow/artifacts/list", { run_id: runId, path }),
    [runId, path],
  );
  const [open, setOpen] = useState<Set<string>>(new Set());
  if (state.loading && !state.data) return <Loading what="artifacts" />;
  if (state.error) return <ErrorBox error={state.error} />;
  const files = state.data?.files ?? [];
  if (files.length === 0 && path === "") return <p className="muted">No artifacts.</p>;
  return (
    <ul>
      {files.map((f) => {
        const name = f.path.slice(f.path.lastIndexOf("/") + 1);
        if (f.is_dir) {
          const isOpen = open.has(f.path);
          const flip = () =>
            setOpen((s) => {
              const n = new Set(s);
              if (isOpen) n.delete(f.path);
              else n.add(f.path);
              return n;
            });
          return (
            <li key={f.path}>
              <button type="button" className="linkish" aria-expanded={isOpen} onClick={flip}>
                {isOpen ? "▾" : "▸"} {name}/
              </button>
              {isOpen && <Folder runId={runId} path={f.path} onPick={onPick} picked={picked} />}
            </li>
          );
        }
        return (
          <li key={f.path}>
            <button
              type="button"
              className="linkish"
              aria-current={picked === f.path ? "true" : undefined}
              onClick={() => onPick(f)}
            >
              {name}
            </button>{" "}
            <span className="muted">{bytes(f.file_size)}</span>
          </li>
        );
      })}
    </ul>
  );
}

type Shown =
  | { kind: "text"; text: string }
  | { kind: "csv"; rows: string[][] }
  | { kind: "image"; url: string }
  | { kind: "html"; html: string }
  | { kind: "binary" };

const ext = (p: string) => p.slice(p.lastIndexOf(".") + 1).toLowerCase();

/** Split one CSV line (quotes respected). */
function csvCells(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out;
}

async function loadPreview(runId: string, path: string): Promise<Shown> {
  const blob = await artifactBlob(runId, path);
  const e = ext(path);
  if (["png", "jpg", "jpeg", "gif", "svg", "webp"].includes(e)) {
    // SVG as an <img> never runs its scripts.
    const typed = e === "svg" ? new Blob([blob], { type: "image/svg+xml" }) : blob;
    return { kind: "image", url: URL.createObjectURL(typed) };
  }
  const text = await blob.text();
  if (e === "html" || e === "htm") return { kind: "html", html: text };
  if (e === "csv") {
    return {
      kind: "csv",
      rows: text
        .split(/\r?\n/)
        .filter(Boolean)
        .slice(0, CSV_HEAD + 1)
        .map(csvCells),
    };
  }
  if (e === "json") {
    try {
      return { kind: "text", text: JSON.stringify(JSON.parse(text), null, 2) };
    } catch {
      return { kind: "text", text };
    }
  }
  // NUL bytes mean a binary file (model.onnx, parquet).
  if (text.includes("\u0000")) return { kind: "binary" };
  return { kind: "text", text };
}

function Preview({ runId, file }: { runId: string; file: FileInfo }) {
  const tooBig = (file.file_size ?? 0) > MAX_PREVIEW;
  const state = useAsync(
    () => (tooBig ? Promise.resolve<Shown>({ kind: "binary" }) : loadPreview(runId, file.path)),
    [runId, file.path],
  );
  const shown = state.data;
  useEffect(
    () => () => {
      if (shown?.kind === "image") URL.revokeObjectURL(shown.url);
    },
    [shown],
  );
  const name = file.path.slice(file.path.lastIndexOf("/") + 1);
  return (
    <div data-testid="artifact-preview">
      <h3>
        {file.path} <span className="muted">{bytes(file.file_size)}</span>
      </h3>
      <ErrorBox error={state.error} />
      {state.loading && <Loading what={name} />}
      {shown?.kind === "text" && <pre className="code">{shown.text}</pre>}
      {shown?.kind === "csv" && (
        <div className="scroll-x">
          <table className="table">
            <caption className="sr-only">First rows of {name}</caption>
            <thead>
              <tr>
                {shown.rows[0]?.map((c, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: columns have no other identity.
                  <th key={i} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {shown.rows.slice(1).map((r, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows have no other identity.
                <tr key={i}>
                  {r.map((c, j) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: cells have no other identity.
                    <td key={j}>{c}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {shown?.kind === "image" && <img src={shown.url} alt={name} className="artifact-image" />}
      {shown?.kind === "html" && (
        <iframe title={`Report ${name}`} className="report" sandbox="" srcDoc={shown.html} />
      )}
      {shown?.kind === "binary" && (
        <p className="muted">{tooBig ? "Too large to preview." : "Binary file: no preview."}</p>
      )}
    </div>
  );
}
