/**
 * Metric step charts: one or more series of (step, value), with zoom (drag the slider or use
 * the wheel), exponential-moving-average smoothing (TensorBoard's) and a log scale.
 */
import { useId, useMemo, useState } from "react";
import { Chart } from "./chart";

/** One line. */
export interface MetricSeries {
  name: string;
  points: { step: number; value: number }[];
}

/** TensorBoard's debiased exponential moving average; `weight` 0 keeps the raw values. */
export function smooth(values: number[], weight: number): number[] {
  if (weight <= 0) return values;
  let last = 0;
  let n = 0;
  return values.map((v) => {
    if (!Number.isFinite(v)) return v;
    last = last * weight + (1 - weight) * v;
    n++;
    return last / (1 - weight ** n);
  });
}

/** A metric chart with its controls. */
export function MetricChart({ title, series }: { title: string; series: MetricSeries[] }) {
  const id = useId();
  const [weight, setWeight] = useState(0);
  const [log, setLog] = useState(false);
  const canLog = series.every((s) => s.points.every((p) => p.value > 0));
  const option = useMemo(
    () => ({
      tooltip: { trigger: "axis" },
      legend: series.length > 1 ? { type: "scroll", top: 0 } : undefined,
      grid: { left: 56, right: 24, top: series.length > 1 ? 32 : 16, bottom: 64 },
      xAxis: {
        type: "value",
        name: "step",
        nameLocation: "middle",
        nameGap: 24,
        min: "dataMin",
        max: "dataMax",
      },
      yAxis: { type: log && canLog ? "log" : "value", scale: true },
      dataZoom: [{ type: "inside" }, { type: "slider", height: 18, bottom: 8 }],
      series: series.map((s) => {
        const ys = smooth(
          s.points.map((p) => p.value),
          weight,
        );
        return {
          name: s.name,
          type: "line",
          showSymbol: s.points.length < 40,
          data: s.points.map((p, i) => [p.step, ys[i]]),
        };
      }),
    }),
    [series, weight, log, canLog],
  );
  return (
    <figure className="metric-chart" data-metric={title}>
      <figcaption>
        <strong>{title}</strong>
        <label>
          Smoothing
          <input
            type="range"
            min={0}
            max={0.99}
            step={0.01}
            value={weight}
            onChange={(e) => setWeight(Number(e.target.value))}
            aria-describedby={`${id}-w`}
          />
          <output id={`${id}-w`}>{weight.toFixed(2)}</output>
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={log && canLog}
            disabled={!canLog}
            onChange={(e) => setLog(e.target.checked)}
          />
          Log scale
        </label>
      </figcaption>
      <Chart
        option={option}
        label={`${title} by step${series.length > 1 ? ` for ${series.length} runs` : ""}`}
      />
    </figure>
  );
}
