/**
 * The model registry: every registered model; one model's versions with their aliases, source
 * runs and the dataset versions those runs trained on (lineage); set or move an alias after a
 * confirmation; the alias history.
 */
import { type FormEvent, useState } from "react";
import { get, post } from "../api/client";
import { getRun } from "../api/runs";
import type { AliasEvent, ModelVersion, RegisteredModel, Run } from "../api/types";
import { ConfirmDialog } from "../components/dialogs";
import { Link } from "../components/link";
import { ErrorBox, Loading, Section } from "../components/status";
import { time } from "../format";
import { pathOf } from "../router";
import { useAsync } from "../use-async";

/** The registry list, or one model. */
export function ModelsPage({ name }: { name?: string }) {
  return name ? <ModelDetail name={name} /> : <ModelList />;
}

function ModelList() {
  const state = useAsync(
    () =>
      get<{ registered_models?: RegisteredModel[] }>("mlflow/registered-models/search", {
        max_results: 1000,
      }),
    [],
  );
  const models = state.data?.registered_models ?? [];
  return (
    <>
      <h1>Models</h1>
      <ErrorBox error={state.error} />
      {state.loading && !state.data && <Loading what="registered models" />}
      {state.data && models.length === 0 && (
        <p className="muted">No registered models: register one with `keel train --register`.</p>
      )}
      {models.length > 0 && (
        <table className="table">
          <caption className="sr-only">Registered models</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Latest version</th>
              <th scope="col">Aliases</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {models.map((m) => (
              <tr key={m.name}>
                <td>
                  <Link to={pathOf("models", m.name)}>{m.name}</Link>
                </td>
                <td>{Math.max(0, ...(m.latest_versions ?? []).map((v) => Number(v.version))) || ""}</td>
                <td>
                  {(m.aliases ?? []).map((a) => (
                    <span key={a.alias} className="badge alias">
                      @{a.alias} → v{a.version}
                    </span>
                  ))}
                </td>
                <td>{time(m.last_updated_timestamp)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

interface ModelData {
  model: RegisteredModel;
  versions: ModelVersion[];
  runs: Map<string, Run>;
  history: AliasEvent[];
}

async function loadModel(name: string): Promise<ModelData> {
  const [model, versions, history] = await Promise.all([
    get<{ registered_model: RegisteredModel }>("mlflow/registered-models/get", { name }),
    get<{ model_versions?: ModelVersion[] }>("mlflow/model-versions/search", {
      filter: `name = '${name.replaceAll("'", "\\'")}'`,
      max_results: 1000,
    }),
    get<{ events?: AliasEvent[] }>("mlflow/registered-models/alias-history", { name }),
  ]);
  const list = (versions.model_versions ?? []).sort((a, b) => Number(b.version) - Number(a.version));
  const runIds = [...new Set(list.map((v) => v.run_id).filter((x): x is string => !!x))];
  const runs = new Map<string, Run>();
  await Promise.all(
    runIds.map(async (id) => {
      try {
        runs.set(id, await getRun(id));
      } catch {
        // A deleted source run: the version still shows, without lineage.
      }
    }),
  );
  return { model: model.registered_model, versions: list, runs, history: history.events ?? [] };
}

function ModelDetail({ name }: { name: string }) {
  const state = useAsync(() => loadModel(name), [name]);
  if (state.error) return <ErrorBox error={state.error} />;
  if (!state.data) return <Loading what={`model ${name}`} />;
  const { model, versions, runs, history } = state.data;
  return (
    <>
      <nav aria-label="Breadcrumb" className="crumbs">
        <Link to="/models">Models</Link> / <span>{name}</span>
      </nav>
      <h1>{name}</h1>
      {model.description && <p>{model.description}</p>}
      <Section title="Versions">
        <table className="table" data-testid="versions">
          <caption className="sr-only">Versions of {name}</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Aliases</th>
              <th scope="col">Created</th>
              <th scope="col">Source run</th>
              <th scope="col">Trained on</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => {
              const run = v.run_id ? runs.get(v.run_id) : undefined;
              return (
                <tr key={v.version} data-version={v.version}>
                  <td>v{v.version}</td>
                  <td data-testid={`aliases-${v.version}`}>
                    {(v.aliases ?? []).map((a) => (
                      <span key={a} className="badge alias">
                        @{a}
                      </span>
                    ))}
                  </td>
                  <td>{time(v.creation_timestamp)}</td>
                  <td>
                    {v.run_id ? (
                      <Link to={pathOf("runs", v.run_id)}>{run?.info.run_name || v.run_id.slice(0, 8)}</Link>
                    ) : (
                      ""
                    )}
                  </td>
                  <td>
                    {(run?.inputs?.dataset_inputs ?? []).map((d) =>
                      d.dataset.version ? (
                        <Link
                          key={`${d.dataset.name}@${d.dataset.version}`}
                          className="badge"
                          to={`${pathOf("datasets", d.dataset.name)}?version=${d.dataset.version}`}
                        >
                          {d.dataset.name}@{d.dataset.version}
                        </Link>
                      ) : (
                        <span key={d.dataset.digest} className="badge">
                          {d.dataset.name}
                        </span>
                      ),
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </Section>
      <Section title="Set or move an alias">
        <AliasForm name={name} model={model} versions={versions} onDone={state.reload} />
      </Section>
      <Section title="Alias history">
        {history.length === 0 ? (
          <p className="muted">No alias was ever set.</p>
        ) : (
          <table className="table">
            <caption className="sr-only">Alias moves, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Alias</th>
                <th scope="col">From</th>
                <th scope="col">To</th>
                <th scope="col">By</th>
              </tr>
            </thead>
            <tbody>
              {history.map((e) => (
                <tr key={`${e.alias}-${e.timestamp}-${e.to_version}`}>
                  <td>{time(e.timestamp)}</td>
                  <td>@{e.alias}</td>
                  <td>{e.from_version ? `v${e.from_version}` : "—"}</td>
                  <td>{e.to_version ? `v${e.to_version}` : "removed"}</td>
                  <td>{e.user_id}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
    </>
  );
}

function AliasForm({
  name,
  model,
  versions,
  onDone,
}: {
  name: string;
  model: RegisteredModel;
  versions: ModelVersion[];
  onDone: () => void;
}) {
  const existing = model.aliases ?? [];
  const [alias, setAlias] = useState(existing[0]?.alias ?? "champion");
  const [version, setVersion] = useState(versions[0]?.version ?? "");
  const [confirming, setConfirming] = useState(false);
  const current = existing.find((a) => a.alias === alias.trim())?.version;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (alias.trim() && version) setConfirming(true);
  };
  return (
    <form className="toolbar" onSubmit={submit}>
      <label>
        Alias
        <input list="alias-names" value={alias} onChange={(e) => setAlias(e.target.value)} required />
        <datalist id="alias-names">
          {existing.map((a) => (
            <option key={a.alias} value={a.alias} />
          ))}
        </datalist>
      </label>
      <label>
        Version
        <select value={version} onChange={(e) => setVersion(e.target.value)}>
          {versions.map((v) => (
            <option key={v.version} value={v.version}>
              v{v.version}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="primary" disabled={current === version}>
        {current ? "Move alias" : "Set alias"}
      </button>
      {confirming && (
        <ConfirmDialog
          title={current ? `Move @${alias.trim()}?` : `Set @${alias.trim()}?`}
          confirmLabel={current ? "Move alias" : "Set alias"}
          onConfirm={() =>
            post("mlflow/registered-models/alias", { name, alias: alias.trim(), version }).then(() =>
              onDone(),
            )
          }
          onClose={() => setConfirming(false)}
        >
          <p>
            {current
              ? `@${alias.trim()} of ${name} points at v${current}. Move it to v${version}? Anything that loads models:/${name}@${alias.trim()} gets v${version} from now on.`
              : `Point @${alias.trim()} of ${name} at v${version}?`}
          </p>
        </ConfirmDialog>
      )}
    </form>
  );
}
