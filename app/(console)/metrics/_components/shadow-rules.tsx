"use client";

import Link from "next/link";
import { useShadowMetrics, type MetricsWindow } from "@/lib/client/use-metrics";
import { formatPercent, WINDOW_LABEL } from "./format";

/**
 * Shadow rules (DESIGN §2.1): how often each, had it been live, would have decided a job otherwise than
 * the live policy did, with a few of those jobs to look at. Shown only while there are shadow rules.
 */
export function ShadowRules({ window }: { window: MetricsWindow }) {
  const shadow = useShadowMetrics(window);
  if (shadow.error) {
    return (
      <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
        Could not load the shadow rules: {shadow.error.message}
      </p>
    );
  }
  const rules = shadow.data?.rules ?? [];
  if (rules.length === 0) return null;
  return (
    <section aria-labelledby="shadow-title" className="space-y-2 rounded-md border border-slate-200 bg-white p-4">
      <h2 id="shadow-title" className="text-base font-semibold">
        Shadow rules
      </h2>
      <p className="text-sm text-slate-600">Logged, never enforced: how often each would have changed the outcome.</p>
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Shadow rules, {WINDOW_LABEL[window]}: jobs matched and disagreements with the live outcome</caption>
          <thead className="border-b border-slate-200 text-slate-600">
            <tr>
              <th scope="col" className="py-1 pr-3 font-medium">Rule</th>
              <th scope="col" className="py-1 pr-3 text-right font-medium">Matched</th>
              <th scope="col" className="py-1 pr-3 text-right font-medium">Disagreed</th>
              <th scope="col" className="py-1 font-medium">Examples</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 tabular-nums">
            {rules.map((r) => (
              <tr key={r.rule_id}>
                <th scope="row" className="py-1.5 pr-3 font-mono text-xs font-normal break-all">{r.rule_id}</th>
                <td className="py-1.5 pr-3 text-right">{r.evaluated}</td>
                <td className="py-1.5 pr-3 text-right">
                  {r.disagreed}
                  {r.evaluated > 0 && <span className="text-slate-500"> ({formatPercent(r.disagreed / r.evaluated)})</span>}
                </td>
                <td className="py-1.5">
                  {r.examples.length === 0 ? (
                    <span className="text-slate-500">—</span>
                  ) : (
                    <ul className="flex flex-wrap gap-x-3">
                      {r.examples.map((id) => (
                        <li key={id}>
                          <Link href={`/jobs/${encodeURIComponent(id)}`} className="font-mono text-xs text-blue-700 underline">
                            {id.slice(-8)}
                            <span className="sr-only"> (job {id})</span>
                          </Link>
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
