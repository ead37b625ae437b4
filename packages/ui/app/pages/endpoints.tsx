/**
 * Endpoints: every serving endpoint; one endpoint's traffic split per version, live requests/s,
 * latency and error-rate charts (the status route polled every few seconds; rates come from the
 * change between polls), canary progress, the event history with the controller's decisions,
 * and promote / roll back behind a confirmation.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import { get, post } from "../api/client";
import type { Endpoint, EndpointStatus } from "../api/types";
import { Chart } from "../components/chart";
import { ConfirmDialog } from "../components/dialogs";
import { Link } from "../components/link";
import { ErrorBox, Loading, Section } from "../components/status";
import { time, value } from "../format";
import { pathOf } from "../router";
import { useAsync } from "../use-async";

/** How often the status is polled. */
const POLL_MS = 2000;
/** Samples kept for the live charts (10 minutes at the poll rate). */
const MAX_SAMPLES = 300;

/** The endpoint list, or one endpoint. */
export function EndpointsPage({ name }: { name?: string }) {
  return name ? <EndpointDetail name={name} /> : <EndpointList />;
}

const label = (v: { model: string; version: string }) => `${v.model} v${v.version}`;

function EndpointList() {
  const state = useAsync(() => get<{ endpoints: Endpoint[] }>("keel/endpoints/list"), []);
  const list = state.data?.endpoints ?? [];
  return (
    <>
      <h1>Endpoints</h1>
      <ErrorBox error={state.error} />
      {state.loading && !state.data && <Loading what="endpoints" />}
      {state.data && list.length === 0 && (
        <p className="muted">No endpoints: create one with `keel endpoint create`.</p>
      )}
      {list.length > 0 && (
        <table className="table">
          <caption className="sr-only">Endpoints</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Stable</th>
              <th scope="col">Candidate</th>
              <th scope="col">Strategy</th>
              <th scope="col">Revision</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {list.map((e) => (
              <tr key={e.name}>
                <td>
                  <Link to={pathOf("endpoints", e.name)}>{e.name}</Link>
                </td>
                <td>{label(e.policy.stable)}</td>
                <td>{e.policy.candidate ? label(e.policy.candidate) : ""}</td>
                <td>{e.policy.strategy ?? ""}</td>
                <td className="num">{e.revision}</td>
                <td>{time(e.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

interface Sample {
  t: number;
  versions: Record<string, { requests: number; errors: number; p50: number | null; p99: number | null }>;
}

/** Poll the status; keep a bounded history of samples for the live charts. */
function useLiveStatus(name: string) {
  const [status, setStatus] = useState<EndpointStatus>();
  const [error, setError] = useState<Error>();
  const samples = useRef<Sample[]>([]);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    samples.current = [];
    const poll = async () => {
      try {
        const s = (await get<{ status: EndpointStatus }>("keel/endpoints/status", { name })).status;
        if (!live) return;
        const versions: Sample["versions"] = {};
        for (const v of s.versions) {
          if (!v.live) continue;
          versions[label(v.version)] = {
            requests: v.live.total.requests,
            errors: v.live.total.errors,
            p50: v.live.total.p50Ms,
            p99: v.live.total.p99Ms,
          };
        }
        samples.current = [...samples.current, { t: Date.now(), versions }].slice(-MAX_SAMPLES);
        setStatus(s);
        setError(undefined);
      } catch (e) {
        if (live) setError(e as Error);
      }
      if (live) setTick((t) => t + 1);
    };
    void poll();
    const timer = setInterval(poll, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [name]);
  return { status, error, samples: samples.current, tick, refresh: () => setTick((t) => t + 1) };
}

/** Requests/s and error rate between consecutive samples, per version. */
function rates(samples: Sample[]) {
  const names = [...new Set(samples.flatMap((s) => Object.keys(s.versions)))];
  return names.map((n) => {
    const rps: [number, number][] = [];
    const err: [number, number][] = [];
    const p50: [number, number | null][] = [];
    const p99: [number, number | null][] = [];
    for (let i = 1; i < samples.length; i++) {
      const a = samples[i - 1]!.versions[n];
      const b = samples[i]!.versions[n];
      if (!a || !b) continue;
      const dt = (samples[i]!.t - samples[i - 1]!.t) / 1000;
      const dr = Math.max(0, b.requests - a.requests);
      rps.push([samples[i]!.t, dt > 0 ? dr / dt : 0]);
      err.push([samples[i]!.t, dr > 0 ? Math.max(0, b.errors - a.errors) / dr : 0]);
    }
    for (const s of samples) {
      const v = s.versions[n];
      if (v) {
        p50.push([s.t, v.p50]);
        p99.push([s.t, v.p99]);
      }
    }
    return { name: n, rps, err, p50, p99 };
  });
}

function timeChart(series: { name: string; data: [number, number | null][] }[], unit: string) {
  return {
    tooltip: { trigger: "axis" },
    legend: { top: 0, type: "scroll" },
    grid: { left: 56, right: 16, top: 32, bottom: 32 },
    xAxis: { type: "time" },
    yAxis: { type: "value", name: unit, min: 0 },
    series: series.map((s) => ({ name: s.name, type: "line", showSymbol: false, data: s.data })),
  };
}

function EndpointDetail({ name }: { name: string }) {
  const { status, error, samples, tick, refresh } = useLiveStatus(name);
  const [action, setAction] = useState<"promote" | "rollback" | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: samples change with tick.
  const live = useMemo(() => rates(samples), [tick]);
  if (!status) return error ? <ErrorBox error={error} /> : <Loading what={`endpoint ${name}`} />;
  const p = status.endpoint.policy;
  const split = {
    tooltip: { formatter: "{b}: {c}%" },
    series: [
      {
        type: "pie",
        radius: ["45%", "70%"],
        label: { formatter: "{b}\n{c}%" },
        data: status.versions
          .filter((v) => v.role !== "previous")
          .map((v) => ({ name: `${label(v.version)} (${v.role})`, value: v.trafficPercent })),
      },
    ],
  };
  return (
    <>
      <nav aria-label="Breadcrumb" className="crumbs">
        <Link to="/endpoints">Endpoints</Link> / <span>{name}</span>
      </nav>
      <h1>{name}</h1>
      <ErrorBox error={error} />
      <p>
        Revision {status.endpoint.revision}
        {p.strategy
          ? `, ${p.strategy} rollout of ${p.candidate ? label(p.candidate) : "?"}`
          : ", no rollout in progress"}
        .{" "}
        {status.server ? (
          <>
            Served by pid {status.server.pid} at <span className="mono">{status.server.url}</span>, figures
            from {time(status.server.updatedAt)}.
          </>
        ) : (
          <span className="muted">No running `keel endpoint serve` publishes live figures.</span>
        )}
      </p>
      <div className="toolbar">
        <button
          type="button"
          className="primary"
          disabled={!p.candidate}
          onClick={() => setAction("promote")}
        >
          Promote candidate
        </button>
        <button
          type="button"
          className="danger"
          disabled={!p.candidate && !p.previous}
          onClick={() => setAction("rollback")}
        >
          Roll back
        </button>
      </div>
      {action && (
        <ConfirmDialog
          title={
            action === "promote" ? `Promote ${p.candidate ? label(p.candidate) : ""}?` : `Roll back ${name}?`
          }
          confirmLabel={action === "promote" ? "Promote" : "Roll back"}
          onConfirm={() => post(`keel/endpoints/${action}`, { name }).then(refresh)}
          onClose={() => setAction(null)}
        >
          <p>
            {action === "promote"
              ? `All traffic of ${name} goes to ${p.candidate ? label(p.candidate) : "the candidate"}; ${label(p.stable)} stays loaded for a rollback.`
              : p.candidate
                ? `The candidate ${label(p.candidate)} is dropped; ${label(p.stable)} takes all traffic.`
                : `Traffic returns to ${p.previous ? label(p.previous) : "the previous version"}.`}
          </p>
        </ConfirmDialog>
      )}
      <div className="columns">
        <Section title="Traffic split">
          <Chart option={split} label={`Traffic split of ${name}`} height={240} />
          <table className="table" data-testid="traffic">
            <caption className="sr-only">Versions and their traffic</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Role</th>
                <th scope="col" className="num">
                  Traffic
                </th>
                <th scope="col" className="num">
                  Requests
                </th>
                <th scope="col" className="num">
                  Error rate
                </th>
                <th scope="col" className="num">
                  p99 ms
                </th>
              </tr>
            </thead>
            <tbody>
              {status.versions.map((v) => (
                <tr key={`${v.role}-${label(v.version)}`}>
                  <td>{label(v.version)}</td>
                  <td>{v.role}</td>
                  <td className="num">{v.trafficPercent}%</td>
                  <td className="num">{v.live?.total.requests ?? ""}</td>
                  <td className="num">{v.live ? value(v.live.total.errorRate) : ""}</td>
                  <td className="num">{value(v.live?.total.p99Ms)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
        {status.canary && (
          <Section title="Canary progress">
            <p>
              Step {status.canary.step + 1} of {status.canary.steps.length}: {status.canary.percent}% of
              traffic on the candidate since {time(status.canary.stepStartedAt)}.
            </p>
            <div
              className="progress"
              role="progressbar"
              aria-label="Canary progress"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={status.canary.percent}
            >
              <div style={{ width: `${status.canary.percent}%` }} />
            </div>
            <p className="muted">Steps: {status.canary.steps.map((s) => `${s}%`).join(" → ")}</p>
          </Section>
        )}
      </div>
      <div className="chart-grid">
        <figure className="metric-chart" data-live="requests">
          <figcaption>
            <strong>Requests/s</strong>
          </figcaption>
          <Chart
            option={timeChart(
              live.map((s) => ({ name: s.name, data: s.rps })),
              "req/s",
            )}
            label="Requests per second by version"
            height={220}
          />
        </figure>
        <figure className="metric-chart">
          <figcaption>
            <strong>Latency</strong> <span className="muted">p50 and p99 since start</span>
          </figcaption>
          <Chart
            option={timeChart(
              live.flatMap((s) => [
                { name: `${s.name} p50`, data: s.p50 },
                { name: `${s.name} p99`, data: s.p99 },
              ]),
              "ms",
            )}
            label="Inference latency by version"
            height={220}
          />
        </figure>
        <figure className="metric-chart">
          <figcaption>
            <strong>Error rate</strong>
          </figcaption>
          <Chart
            option={timeChart(
              live.map((s) => ({ name: s.name, data: s.err })),
              "share",
            )}
            label="Error rate by version"
            height={220}
          />
        </figure>
      </div>
      <Section title="Events and decisions">
        <table className="table" data-testid="events">
          <caption className="sr-only">Endpoint events, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Event</th>
              <th scope="col">By</th>
              <th scope="col">What happened</th>
            </tr>
          </thead>
          <tbody>
            {[...status.events].reverse().map((e) => (
              <tr key={e.seq}>
                <td>{time(e.time)}</td>
                <td>{e.type.replace("_", " ")}</td>
                <td>{e.actor}</td>
                <td>{e.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
    </>
  );
}
