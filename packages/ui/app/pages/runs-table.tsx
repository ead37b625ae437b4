/**
 * The runs of an experiment: the filter grammar of `keel runs list` sent to runs/search,
 * server-side sorting and pagination (page tokens, next page loaded near the end of the
 * virtualized grid), choosable param/metric columns, multi-select for Compare.
 */
import { type FormEvent, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { metricOf, paramOf, runName, searchRuns } from "../api/runs";
import type { Run } from "../api/types";
import { Link } from "../components/link";
import { ErrorBox, Status } from "../components/status";
import { type GridColumn, VirtualGrid } from "../components/virtual-grid";
import { duration, time, value } from "../format";
import { navigate, pathOf, useLocation } from "../router";

/** Runs fetched per request. */
const PAGE_SIZE = 250;

/** A sortable column: the order_by key of runs/search. */
interface Sort {
  key: string;
  desc: boolean;
}

/** A param or metric column key: `params.lr`, `metrics.acc`. */
type ColumnKey = `${"params" | "metrics"}.${string}`;

/** Quote a key for the filter/order grammar. */
const quoted = (key: ColumnKey) => {
  const dot = key.indexOf(".");
  return `${key.slice(0, dot)}.\`${key.slice(dot + 1)}\``;
};

/** The runs table of one experiment. */
export function RunsTable({ experimentId }: { experimentId: string }) {
  const { query } = useLocation();
  const filter = query.get("filter") ?? "";
  const [draft, setDraft] = useState(filter);
  const [sort, setSort] = useState<Sort>({ key: "attributes.start_time", desc: true });
  const [runs, setRuns] = useState<Run[]>([]);
  const [token, setToken] = useState<string | undefined>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(false);
  const [chosen, setChosen] = useState<ColumnKey[] | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const generation = useRef(0);

  useEffect(() => setDraft(filter), [filter]);

  const load = useCallback(
    async (pageToken: string | undefined) => {
      const gen = pageToken ? generation.current : ++generation.current;
      setLoading(true);
      setError(undefined);
      try {
        const page = await searchRuns({
          experimentIds: [experimentId],
          filter,
          orderBy: [`${sort.key} ${sort.desc ? "DESC" : "ASC"}`],
          maxResults: PAGE_SIZE,
          pageToken,
        });
        if (gen !== generation.current) return;
        setRuns((r) => (pageToken ? [...r, ...page.runs] : page.runs));
        setToken(page.next_page_token);
      } catch (e) {
        if (gen !== generation.current) return;
        setError(e as Error);
        if (!pageToken) setRuns([]);
        setToken(undefined);
      } finally {
        if (gen === generation.current) setLoading(false);
      }
    },
    [experimentId, filter, sort],
  );

  useEffect(() => {
    void load(undefined);
  }, [load]);

  const nearEnd = useCallback(() => {
    if (token && !loading) void load(token);
  }, [token, loading, load]);

  // Keys seen in the loaded runs; a sensible default choice the first time there are runs.
  const available = useMemo(() => {
    const params = new Set<string>();
    const metrics = new Set<string>();
    for (const r of runs.slice(0, 2000)) {
      for (const p of r.data.params ?? []) params.add(p.key);
      for (const m of r.data.metrics ?? []) metrics.add(m.key);
    }
    return {
      params: [...params].sort().map((k) => `params.${k}` as ColumnKey),
      metrics: [...metrics].sort().map((k) => `metrics.${k}` as ColumnKey),
    };
  }, [runs]);
  // Baseline figures are on every train run; lead with the run's own metrics.
  const ownMetrics = [...available.metrics].sort(
    (a, b) => Number(a.startsWith("metrics.baseline_")) - Number(b.startsWith("metrics.baseline_")),
  );
  const columnsShown = chosen ?? [...ownMetrics.slice(0, 4), ...available.params.slice(0, 3)];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const q = new URLSearchParams(query);
    if (draft.trim()) q.set("filter", draft.trim());
    else q.delete("filter");
    const s = q.toString();
    navigate(`${pathOf("experiments", experimentId)}${s ? `?${s}` : ""}`, true);
  };

  const toggle = (run: Run) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(run.info.run_id)) next.delete(run.info.run_id);
      else next.add(run.info.run_id);
      return next;
    });

  const header = (label: string, key: string) => {
    const on = sort.key === key;
    return (
      <button
        type="button"
        className="sort"
        onClick={() => setSort({ key, desc: on ? !sort.desc : true })}
        aria-label={`Sort by ${label}`}
      >
        {label}
        <span aria-hidden="true">{on ? (sort.desc ? " ▼" : " ▲") : ""}</span>
      </button>
    );
  };
  const ariaSort = (key: string) => (sort.key === key ? (sort.desc ? "descending" : "ascending") : "none");

  const columns: GridColumn<Run>[] = [
    {
      key: "select",
      header: <span className="sr-only">Selected</span>,
      width: "2.5rem",
      cell: (r) => (
        <input
          type="checkbox"
          aria-label={`Select run ${runName(r)}`}
          checked={selected.has(r.info.run_id)}
          onChange={() => toggle(r)}
          tabIndex={-1}
        />
      ),
    },
    {
      key: "name",
      header: header("Run", "attributes.run_name"),
      sort: ariaSort("attributes.run_name"),
      width: "16rem",
      cell: (r) => (
        <Link to={pathOf("runs", r.info.run_id)} tabIndex={-1}>
          {runName(r)}
        </Link>
      ),
    },
    { key: "status", header: "Status", width: "7rem", cell: (r) => <Status status={r.info.status} /> },
    {
      key: "start",
      header: header("Started", "attributes.start_time"),
      sort: ariaSort("attributes.start_time"),
      width: "11rem",
      cell: (r) => time(r.info.start_time),
    },
    {
      key: "duration",
      header: "Duration",
      width: "6rem",
      cell: (r) => (r.info.end_time ? duration(r.info.end_time - r.info.start_time) : ""),
    },
    ...columnsShown.map(
      (key): GridColumn<Run> => ({
        key,
        header: header(key.replace(/^(params|metrics)\./, ""), quoted(key)),
        sort: ariaSort(quoted(key)),
        width: "10rem",
        cell: (r) => {
          const name = key.slice(key.indexOf(".") + 1);
          return key.startsWith("metrics.") ? value(metricOf(r, name)) : (paramOf(r, name) ?? "");
        },
      }),
    ),
  ];

  const compare = [...selected];
  return (
    <div className="runs">
      <form className="toolbar" onSubmit={submit} aria-label="Filter and compare runs">
        <label className="grow">
          Filter runs
          <input
            name="filter"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            placeholder="metrics.accuracy > 0.9 and params.model = 'gbdt'"
            spellCheck={false}
          />
        </label>
        <button type="submit">Apply</button>
        <ColumnPicker available={available} shown={columnsShown} onChange={setChosen} />
        <button
          type="button"
          className="primary"
          disabled={compare.length < 2}
          onClick={() => navigate(`/compare?runs=${compare.map(encodeURIComponent).join(",")}`)}
        >
          Compare {compare.length > 0 ? `(${compare.length})` : ""}
        </button>
      </form>
      <ErrorBox error={error} />
      <p className="muted" aria-live="polite" data-testid="runs-loaded">
        {runs.length} runs loaded{token ? ", more on scroll" : ""}
        {loading ? " — loading…" : ""}. Arrow keys move, Enter opens, Space selects.
      </p>
      <VirtualGrid
        label="Runs"
        rows={runs}
        columns={columns}
        rowKey={(r) => r.info.run_id}
        onOpen={(r) => navigate(pathOf("runs", r.info.run_id))}
        onToggle={toggle}
        selected={selected}
        onNearEnd={nearEnd}
      />
    </div>
  );
}

/** A disclosure with a checkbox per param/metric column. */
function ColumnPicker({
  available,
  shown,
  onChange,
}: {
  available: { params: ColumnKey[]; metrics: ColumnKey[] };
  shown: ColumnKey[];
  onChange: (keys: ColumnKey[]) => void;
}) {
  const set = new Set(shown);
  const flip = (k: ColumnKey) => onChange(set.has(k) ? shown.filter((x) => x !== k) : [...shown, k]);
  return (
    <details className="picker">
      <summary>Columns</summary>
      <div className="picker-body">
        {(["metrics", "params"] as const).map((group) => (
          <fieldset key={group}>
            <legend>{group === "metrics" ? "Metrics" : "Params"}</legend>
            {available[group].map((k) => (
              <label key={k} className="check">
                <input type="checkbox" checked={set.has(k)} onChange={() => flip(k)} />
                {k.slice(group.length + 1)}
              </label>
            ))}
          </fieldset>
        ))}
      </div>
    </details>
  );
}
