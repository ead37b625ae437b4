/**
 * Datasets: names with their newest version; one dataset's versions, the profile of a version
 * (per-column histograms, top categories and statistics), who used it, and the diff of two
 * versions (`keel data diff`).
 */
import { useMemo, useState } from "react";
import { get } from "../api/client";
import type {
  ColumnProfile,
  DataDiff,
  DatasetProfile,
  DatasetSummary,
  DatasetVersion,
  Delta,
  ModelVersion,
  RunInfo,
} from "../api/types";
import { Chart } from "../components/chart";
import { Link } from "../components/link";
import { ErrorBox, Loading, Section } from "../components/status";
import { bytes, time, value } from "../format";
import { navigate, pathOf, useLocation } from "../router";
import { useAsync } from "../use-async";

/** The dataset list, or one dataset. */
export function DatasetsPage({ name }: { name?: string }) {
  return name ? <DatasetDetail name={name} /> : <DatasetList />;
}

function DatasetList() {
  const state = useAsync(() => get<{ datasets?: DatasetSummary[] }>("keel/datasets/list"), []);
  const list = state.data?.datasets ?? [];
  return (
    <>
      <h1>Datasets</h1>
      <ErrorBox error={state.error} />
      {state.loading && !state.data && <Loading what="datasets" />}
      {state.data && list.length === 0 && (
        <p className="muted">No dataset versions: record one with `keel data add`.</p>
      )}
      {list.length > 0 && (
        <table className="table">
          <caption className="sr-only">Datasets</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col" className="num">
                Versions
              </th>
              <th scope="col">Latest</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {list.map((d) => (
              <tr key={d.name}>
                <td>
                  <Link to={pathOf("datasets", d.name)}>{d.name}</Link>
                </td>
                <td className="num">{d.version_count}</td>
                <td>
                  {d.name}@{d.latest_version}
                </td>
                <td>{time(d.updated_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function DatasetDetail({ name }: { name: string }) {
  const { query } = useLocation();
  const state = useAsync(
    () => get<{ dataset_versions?: DatasetVersion[] }>("keel/datasets/versions/list", { name }),
    [name],
  );
  const versions = state.data?.dataset_versions ?? [];
  const latest = versions.at(-1)?.version;
  const chosen = Number(query.get("version")) || latest;
  const pick = (v: number) => navigate(`${pathOf("datasets", name)}?version=${v}`, true);
  return (
    <>
      <nav aria-label="Breadcrumb" className="crumbs">
        <Link to="/datasets">Datasets</Link> / <span>{name}</span>
      </nav>
      <h1>{name}</h1>
      <ErrorBox error={state.error} />
      {state.loading && !state.data && <Loading what="versions" />}
      {versions.length > 0 && (
        <Section title="Versions">
          <table className="table">
            <caption className="sr-only">Versions of {name}</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Path</th>
                <th scope="col">Size</th>
                <th scope="col">Digest</th>
                <th scope="col">Recorded</th>
              </tr>
            </thead>
            <tbody>
              {[...versions].reverse().map((v) => (
                <tr key={v.version} aria-current={v.version === chosen ? "true" : undefined}>
                  <td>
                    <button type="button" className="linkish" onClick={() => pick(v.version)}>
                      {name}@{v.version}
                    </button>
                  </td>
                  <td className="mono">{v.path}</td>
                  <td>{bytes(v.size)}</td>
                  <td className="mono">{v.digest.slice(0, 12)}</td>
                  <td>{time(v.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
      )}
      {chosen !== undefined && versions.length > 0 && (
        <>
          <Section title={`Profile of ${name}@${chosen}`} id="profile">
            <Profile name={name} version={chosen} stored={versions.find((v) => v.version === chosen)} />
          </Section>
          <Section title="Used by">
            <Usage name={name} version={chosen} />
          </Section>
        </>
      )}
      {versions.length > 1 && (
        <Section title="Compare two versions">
          <Diff name={name} versions={versions.map((v) => v.version)} />
        </Section>
      )}
    </>
  );
}

function Profile({
  name,
  version,
  stored,
}: {
  name: string;
  version: number;
  stored: DatasetVersion | undefined;
}) {
  const state = useAsync(
    () => get<{ profile: DatasetProfile }>("keel/datasets/versions/profile", { name, version }),
    [name, version],
  );
  if (state.loading && !state.data) return <Loading what="profile" />;
  if (state.error) {
    // Data not in this server's cache (or not a table): the summary recorded with the version still shows.
    const summary = stored?.profile
      ? (JSON.parse(stored.profile) as { rowCount: number; columns: ColumnProfile[] })
      : null;
    return (
      <>
        <ErrorBox error={state.error} />
        {summary && <StatsTable rows={summary.rowCount} columns={summary.columns} />}
      </>
    );
  }
  const p = state.data!.profile;
  return (
    <div data-testid="dataset-profile">
      <p>
        {p.rowCount} rows, {p.columnCount} columns
        {p.warnings.length > 0 ? `, ${p.warnings.length} warnings` : ""}.
      </p>
      {p.warnings.length > 0 && (
        <ul className="warnings">
          {p.warnings.map((w) => (
            <li key={`${w.column}-${w.kind}`}>
              <strong>{w.column}</strong>: {w.message}
            </li>
          ))}
        </ul>
      )}
      <StatsTable rows={p.rowCount} columns={p.columns} />
      <div className="chart-grid">
        {p.columns.map((c) => (
          <ColumnChart key={c.name} column={c} />
        ))}
      </div>
    </div>
  );
}

function StatsTable({ rows, columns }: { rows: number; columns: ColumnProfile[] }) {
  return (
    <div className="scroll-x">
      <table className="table">
        <caption className="sr-only">Column statistics over {rows} rows</caption>
        <thead>
          <tr>
            {["Column", "Type", "Missing", "Distinct", "Min", "Max", "Mean", "Std"].map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {columns.map((c) => (
            <tr key={c.name}>
              <th scope="row">{c.name}</th>
              <td className="mono">{c.type}</td>
              <td className="num">{c.missing}</td>
              <td className="num">{c.distinct}</td>
              <td>{value(c.min)}</td>
              <td>{value(c.max)}</td>
              <td>{value(c.mean)}</td>
              <td>{value(c.std)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ColumnChart({ column }: { column: ColumnProfile }) {
  const option = useMemo(() => {
    if (column.histogram && column.histogram.bins.length > 0) {
      const bins = column.histogram.bins;
      const label = (x: number) =>
        column.histogram!.kind === "datetime" ? new Date(x).toISOString().slice(0, 10) : value(x);
      return {
        tooltip: {},
        grid: { left: 48, right: 12, top: 12, bottom: 40 },
        xAxis: {
          type: "category",
          data: bins.map((b) => `${label(b.start)}–${label(b.end)}`),
          axisLabel: { hideOverlap: true },
        },
        yAxis: { type: "value" },
        series: [{ type: "bar", barCategoryGap: "4%", data: bins.map((b) => b.count) }],
      };
    }
    if (column.topCategories && column.topCategories.length > 0) {
      const cats = column.topCategories.slice(0, 12);
      return {
        tooltip: {},
        grid: { left: 96, right: 12, top: 12, bottom: 24 },
        xAxis: { type: "value" },
        yAxis: { type: "category", inverse: true, data: cats.map((c) => c.value) },
        series: [{ type: "bar", data: cats.map((c) => c.count) }],
      };
    }
    return null;
  }, [column]);
  if (!option) return null;
  return (
    <figure className="metric-chart" data-column={column.name}>
      <figcaption>
        <strong>{column.name}</strong>{" "}
        <span className="muted">{column.histogram ? "histogram" : "top values"}</span>
      </figcaption>
      <Chart option={option} label={`Distribution of ${column.name}`} height={200} />
    </figure>
  );
}

function Usage({ name, version }: { name: string; version: number }) {
  const state = useAsync(
    () =>
      get<{ runs?: RunInfo[]; model_versions?: ModelVersion[] }>("keel/datasets/versions/usage", {
        name,
        version,
      }),
    [name, version],
  );
  if (state.error) return <ErrorBox error={state.error} />;
  if (!state.data) return <Loading what="usage" />;
  const runs = state.data.runs ?? [];
  const models = state.data.model_versions ?? [];
  if (runs.length === 0 && models.length === 0)
    return <p className="muted">No run logged this version as an input.</p>;
  return (
    <ul>
      {runs.map((r) => (
        <li key={r.run_id}>
          run <Link to={pathOf("runs", r.run_id)}>{r.run_name || r.run_id.slice(0, 8)}</Link>
        </li>
      ))}
      {models.map((m) => (
        <li key={`${m.name}/${m.version}`}>
          model{" "}
          <Link to={pathOf("models", m.name)}>
            {m.name} v{m.version}
          </Link>
        </li>
      ))}
    </ul>
  );
}

const delta = (d: Delta) => (d.delta === null ? "" : `${d.delta > 0 ? "+" : ""}${value(d.delta)}`);

function Diff({ name, versions }: { name: string; versions: number[] }) {
  const [a, setA] = useState(versions.at(-2)!);
  const [b, setB] = useState(versions.at(-1)!);
  const [go, setGo] = useState<[number, number] | null>(null);
  const state = useAsync(
    () =>
      go
        ? get<{ diff: DataDiff }>("keel/datasets/versions/diff", { name, a: go[0], b: go[1] })
        : Promise.resolve(null),
    [name, go?.[0], go?.[1]],
  );
  const d = state.data?.diff;
  return (
    <>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          setGo([a, b]);
        }}
      >
        <label>
          From
          <select value={a} onChange={(e) => setA(Number(e.target.value))}>
            {versions.map((v) => (
              <option key={v} value={v}>
                {name}@{v}
              </option>
            ))}
          </select>
        </label>
        <label>
          To
          <select value={b} onChange={(e) => setB(Number(e.target.value))}>
            {versions.map((v) => (
              <option key={v} value={v}>
                {name}@{v}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Diff</button>
      </form>
      <ErrorBox error={state.error} />
      {go && state.loading && <Loading what="diff" />}
      {d && (
        <div data-testid="dataset-diff">
          <p>
            {d.identical ? "Identical content." : `Changed (${d.kind}).`} {bytes(d.a.size)} →{" "}
            {bytes(d.b.size)}.
          </p>
          {d.files && (
            <p>
              {d.files.added.length} files added, {d.files.removed.length} removed, {d.files.changed.length}{" "}
              changed, {d.files.unchanged} unchanged.
            </p>
          )}
          {d.table && (
            <>
              <p>
                Rows {value(d.table.rows.a)} → {value(d.table.rows.b)} ({delta(d.table.rows)}):{" "}
                {d.table.rowChanges.added} added, {d.table.rowChanges.removed} removed
                {d.table.rowChanges.changed !== undefined ? `, ${d.table.rowChanges.changed} changed` : ""}.
              </p>
              {(d.table.schema.added.length > 0 ||
                d.table.schema.removed.length > 0 ||
                d.table.schema.retyped.length > 0) && (
                <p>
                  Schema: {d.table.schema.added.map((c) => `+${c.name}`).join(" ")}{" "}
                  {d.table.schema.removed.map((c) => `-${c.name}`).join(" ")}{" "}
                  {d.table.schema.retyped.map((c) => `${c.name}: ${c.from}→${c.to}`).join(" ")}
                </p>
              )}
              <table className="table">
                <caption className="sr-only">Column statistics before and after</caption>
                <thead>
                  <tr>
                    <th scope="col">Column</th>
                    <th scope="col">Null share Δ</th>
                    <th scope="col">Distinct Δ</th>
                    <th scope="col">Mean</th>
                    <th scope="col">Mean Δ</th>
                  </tr>
                </thead>
                <tbody>
                  {d.table.columns.map((c) => (
                    <tr key={c.name}>
                      <th scope="row">{c.name}</th>
                      <td>{delta(c.nullShare)}</td>
                      <td>{delta(c.distinct)}</td>
                      <td>
                        {value(c.mean.a)} → {value(c.mean.b)}
                      </td>
                      <td>{delta(c.mean)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </div>
      )}
    </>
  );
}
