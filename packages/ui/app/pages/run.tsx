/**
 * One run: summary, params, tags, latest metrics, step charts of every metric with more than
 * one point, artifacts, dataset inputs (linked to dataset versions), model versions it
 * produced, and its child runs (search trials, pipeline stages).
 */
import { get, num } from "../api/client";
import { childRuns, getRun, metricHistory, runName, tagOf, visibleTags } from "../api/runs";
import type { ModelVersion, Run } from "../api/types";
import { Link } from "../components/link";
import { MetricChart } from "../components/metric-chart";
import { ErrorBox, KeyValueTable, Loading, Section, Status } from "../components/status";
import { duration, time, value } from "../format";
import { pathOf } from "../router";
import { useAsync } from "../use-async";
import { ArtifactBrowser } from "./artifacts";

/** Charts drawn at most (the rest are listed in the metrics table). */
const MAX_CHARTS = 12;

/** The run page. */
export function RunPage({ runId }: { runId: string }) {
  const state = useAsync(() => getRun(runId), [runId]);
  if (state.error) return <ErrorBox error={state.error} />;
  if (!state.data) return <Loading what="run" />;
  const run = state.data;
  const parent = tagOf(run, "mlflow.parentRunId");
  return (
    <>
      <nav aria-label="Breadcrumb" className="crumbs">
        <Link to="/experiments">Experiments</Link> /{" "}
        <Link to={pathOf("experiments", run.info.experiment_id)}>Experiment {run.info.experiment_id}</Link>
        {parent && (
          <>
            {" "}
            / <Link to={pathOf("runs", parent)}>parent run</Link>
          </>
        )}{" "}
        / <span>{runName(run)}</span>
      </nav>
      <h1>
        {runName(run)} <Status status={run.info.status} />
      </h1>
      <dl className="facts">
        <dt>Run ID</dt>
        <dd className="mono">{run.info.run_id}</dd>
        <dt>Started</dt>
        <dd>{time(run.info.start_time)}</dd>
        <dt>Duration</dt>
        <dd>{run.info.end_time ? duration(run.info.end_time - run.info.start_time) : "running"}</dd>
        <dt>User</dt>
        <dd>{run.info.user_id}</dd>
        {tagOf(run, "keel.command") && (
          <>
            <dt>Command</dt>
            <dd className="mono">keel {tagOf(run, "keel.command")}</dd>
          </>
        )}
      </dl>
      <div className="columns">
        <Section title="Params">
          <KeyValueTable rows={run.data.params ?? []} caption="Params" empty="No params." />
        </Section>
        <Section title="Metrics">
          <KeyValueTable
            rows={(run.data.metrics ?? []).map((m) => ({ key: m.key, value: value(num(m.value)) }))}
            caption="Latest metric values"
            empty="No metrics."
          />
        </Section>
        <Section title="Tags">
          <KeyValueTable rows={visibleTags(run)} caption="Tags" empty="No tags." />
        </Section>
      </div>
      <Section title="Metric charts">
        <MetricCharts run={run} />
      </Section>
      <Section title="Dataset inputs">
        <DatasetInputs run={run} />
      </Section>
      <Section title="Model versions">
        <ProducedModels runId={run.info.run_id} />
      </Section>
      <Section title="Child runs">
        <Children run={run} />
      </Section>
      <Section title="Artifacts">
        <ArtifactBrowser runId={run.info.run_id} />
      </Section>
    </>
  );
}

function MetricCharts({ run }: { run: Run }) {
  const keys = [...new Set((run.data.metrics ?? []).map((m) => m.key))].sort();
  const state = useAsync(async () => {
    const all = await Promise.all(
      keys.map(async (k) => ({ key: k, points: await metricHistory(run.info.run_id, k) })),
    );
    return all.filter((h) => h.points.length > 1).slice(0, MAX_CHARTS);
  }, [run.info.run_id, keys.join("\n")]);
  if (state.error) return <ErrorBox error={state.error} />;
  if (!state.data) return <Loading what="metric histories" />;
  if (state.data.length === 0) {
    return <p className="muted">No metric has more than one step: the values are in the metrics table.</p>;
  }
  return (
    <div className="chart-grid">
      {state.data.map((h) => (
        <MetricChart key={h.key} title={h.key} series={[{ name: h.key, points: h.points }]} />
      ))}
    </div>
  );
}

function DatasetInputs({ run }: { run: Run }) {
  const inputs = run.inputs?.dataset_inputs ?? [];
  if (inputs.length === 0) return <p className="muted">No dataset inputs logged.</p>;
  return (
    <ul>
      {inputs.map((d) => {
        const context = d.tags?.find((t) => t.key === "mlflow.data.context")?.value;
        const v = d.dataset.version;
        const label = `${d.dataset.name}${v ? `@${v}` : ""}`;
        return (
          <li key={`${d.dataset.name}-${d.dataset.digest}-${context ?? ""}`}>
            {v ? <Link to={`${pathOf("datasets", d.dataset.name)}?version=${v}`}>{label}</Link> : label}
            {context && <span className="badge">{context}</span>}{" "}
            <span className="muted mono">{d.dataset.digest.slice(0, 12)}</span>
          </li>
        );
      })}
    </ul>
  );
}

function ProducedModels({ runId }: { runId: string }) {
  const state = useAsync(
    () =>
      get<{ model_versions?: ModelVersion[] }>("mlflow/model-versions/search", {
        filter: `run_id = '${runId}'`,
      }),
    [runId],
  );
  if (state.error) return <ErrorBox error={state.error} />;
  const versions = state.data?.model_versions ?? [];
  if (!state.data) return <Loading what="model versions" />;
  if (versions.length === 0) return <p className="muted">This run registered no model version.</p>;
  return (
    <ul>
      {versions.map((v) => (
        <li key={`${v.name}/${v.version}`}>
          <Link to={pathOf("models", v.name)}>
            {v.name} v{v.version}
          </Link>{" "}
          {(v.aliases ?? []).map((a) => (
            <span key={a} className="badge alias">
              @{a}
            </span>
          ))}
        </li>
      ))}
    </ul>
  );
}

function Children({ run }: { run: Run }) {
  const state = useAsync(() => childRuns(run), [run.info.run_id]);
  if (state.error) return <ErrorBox error={state.error} />;
  if (!state.data) return <Loading what="child runs" />;
  if (state.data.length === 0) return <p className="muted">No child runs.</p>;
  return (
    <table className="table">
      <caption className="sr-only">Child runs</caption>
      <thead>
        <tr>
          <th scope="col">Run</th>
          <th scope="col">Kind</th>
          <th scope="col">Status</th>
          <th scope="col">Duration</th>
        </tr>
      </thead>
      <tbody>
        {state.data.map((c) => {
          const trial = tagOf(c, "keel.trial.index");
          const stage = tagOf(c, "keel.stage");
          const kind = trial !== undefined ? `trial ${trial}` : stage ? `stage ${stage}` : "";
          return (
            <tr key={c.info.run_id}>
              <td>
                <Link to={pathOf("runs", c.info.run_id)}>{runName(c)}</Link>
              </td>
              <td>{kind}</td>
              <td>
                <Status status={c.info.status} />
              </td>
              <td>{c.info.end_time ? duration(c.info.end_time - c.info.start_time) : ""}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
