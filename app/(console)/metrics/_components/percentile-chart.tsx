"use client";

import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { formatDuration } from "./format";

// Colour and dash pattern both tell the series apart, so the chart also reads in greyscale.
const SERIES = [
  { key: "p50", name: "p50 (median)", color: "#0f766e", dash: undefined },
  { key: "p90", name: "p90", color: "#b45309", dash: "6 3" },
  { key: "p99", name: "p99", color: "#7c3aed", dash: "2 3" },
] as const;

export interface Point {
  label: string;
  decided: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
}

const axis = { fontSize: 12, fill: "#475569" };
const yAxis = <YAxis tickFormatter={(v: number) => formatDuration(v)} tick={axis} width={56} />;
const tooltip = <Tooltip formatter={(v) => formatDuration(typeof v === "number" ? v : null)} />;

/**
 * Lines when there is a trend to follow; bars when decisions fall in one or two buckets, where a line
 * chart would draw a lone dot on an empty axis. Bars show only the buckets that had decisions.
 */
export function PercentileChart({ points }: { points: Point[] }) {
  const withData = points.filter((p) => p.decided > 0);
  if (withData.length < 3) {
    return (
      <BarChart responsive accessibilityLayer={false} data={withData} style={{ width: "100%", height: "100%" }} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
        <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" tick={axis} />
        {yAxis}
        {tooltip}
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {SERIES.map((s) => (
          <Bar key={s.key} dataKey={s.key} name={s.name} fill={s.color} maxBarSize={48} isAnimationActive={false} />
        ))}
      </BarChart>
    );
  }
  return (
    <LineChart responsive accessibilityLayer={false} data={points} style={{ width: "100%", height: "100%" }} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
      <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
      <XAxis dataKey="label" tick={axis} minTickGap={8} />
      {yAxis}
      {tooltip}
      <Legend wrapperStyle={{ fontSize: 12 }} />
      {SERIES.map((s) => (
        <Line key={s.key} type="monotone" dataKey={s.key} name={s.name} stroke={s.color} strokeDasharray={s.dash} strokeWidth={2} dot={{ r: 3 }} connectNulls isAnimationActive={false} />
      ))}
    </LineChart>
  );
}
