/**
 * One ECharts chart (ECharts' own aria text is off: it would replace the precise label given here). `option` is applied whole (`notMerge`) whenever it changes; the container
 * gets `data-rendered="true"` once ECharts has finished drawing, which tests wait for.
 */
import type { EChartsCoreOption } from "echarts/core";
import { useEffect, useRef } from "react";
import { echarts, PALETTE } from "./echarts";

/** Props of {@link Chart}. */
export interface ChartProps {
  /** The ECharts option. */
  option: EChartsCoreOption;
  /** What the chart shows, for screen readers. */
  label: string;
  /** Height in pixels (default 280). */
  height?: number;
  /** Called with the data index of a clicked item. */
  onClick?: (params: { dataIndex: number; name: string; seriesName?: string }) => void;
}

/** A chart that resizes with its container. */
export function Chart({ option, label, height = 280, onClick }: ChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof echarts.init> | null>(null);
  const click = useRef(onClick);
  click.current = onClick;

  useEffect(() => {
    const el = ref.current!;
    const c = echarts.init(el, null, { renderer: "svg" });
    chart.current = c;
    c.on("finished", () => el.setAttribute("data-rendered", "true"));
    c.on("click", (p) => click.current?.(p as unknown as { dataIndex: number; name: string }));
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    ref.current?.removeAttribute("data-rendered");
    chart.current?.setOption(
      {
        color: PALETTE,
        aria: { enabled: false },
        animation: false,
        textStyle: { fontFamily: "inherit" },
        ...option,
      },
      { notMerge: true },
    );
  }, [option]);

  return <div ref={ref} className="chart" role="img" aria-label={label} data-chart style={{ height }} />;
}
