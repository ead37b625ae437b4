/** Experiments: every experiment with its run count; one experiment's runs table. */
import { get } from "../api/client";
import { listExperiments } from "../api/runs";
import { Link } from "../components/link";
import { ErrorBox, Loading } from "../components/status";
import { time } from "../format";
import { pathOf } from "../router";
import { useAsync } from "../use-async";
import { RunsTable } from "./runs-table";

/** The experiment list, or one experiment's runs. */
export function ExperimentsPage({ experimentId }: { experimentId?: string }) {
  return experimentId ? <ExperimentRuns id={experimentId} /> : <ExperimentList />;
}

function ExperimentList() {
  const state = useAsync(async () => {
    const experiments = await listExperiments();
    const ids = experiments.map((e) => e.experiment_id);
    const counts = ids.length
      ? await get<{ counts: { experiment_id: string; runs: number }[] }>("keel/experiments/run-counts", {
          experiment_ids: ids.slice(0, 200),
        })
      : { counts: [] };
    const byId = new Map(counts.counts.map((c) => [c.experiment_id, c.runs]));
    return experiments.map((e) => ({ ...e, runs: byId.get(e.experiment_id) }));
  }, []);
  return (
    <>
      <h1>Experiments</h1>
      <ErrorBox error={state.error} />
      {state.loading && !state.data && <Loading what="experiments" />}
      {state.data && (
        <table className="table">
          <caption className="sr-only">Experiments and their run counts</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">ID</th>
              <th scope="col" className="num">
                Runs
              </th>
              <th scope="col">Created</th>
              <th scope="col">Last update</th>
            </tr>
          </thead>
          <tbody>
            {state.data.map((e) => (
              <tr key={e.experiment_id}>
                <td>
                  <Link to={pathOf("experiments", e.experiment_id)}>{e.name}</Link>
                </td>
                <td className="mono">{e.experiment_id}</td>
                <td className="num" data-testid={`run-count-${e.experiment_id}`}>
                  {e.runs ?? "…"}
                </td>
                <td>{time(e.creation_time)}</td>
                <td>{time(e.last_update_time)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {state.data?.length === 0 && (
        <p className="muted">No experiments yet: track a run with `keel train`.</p>
      )}
    </>
  );
}

function ExperimentRuns({ id }: { id: string }) {
  const state = useAsync(
    () => get<{ experiment: { name: string } }>("mlflow/experiments/get", { experiment_id: id }),
    [id],
  );
  return (
    <>
      <nav aria-label="Breadcrumb" className="crumbs">
        <Link to="/experiments">Experiments</Link> / <span>{state.data?.experiment.name ?? id}</span>
      </nav>
      <h1>{state.data?.experiment.name ?? `Experiment ${id}`}</h1>
      <ErrorBox error={state.error} />
      <RunsTable experimentId={id} />
    </>
  );
}
