"use client";

import { useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import type { BudgetUse as BudgetUseSchema } from "@/lib/api/responses-budgets";
import { api } from "@/lib/client/api";
import { policyKeys } from "@/lib/client/keys";

type Budgets = z.infer<typeof BudgetUseSchema>;
type Budget = Budgets["budgets"][number];

const PER_LABEL = { agent: "Agent", on_behalf_of: "On behalf of", tenant: "Whole tenant" } as const;
const number = new Intl.NumberFormat("en", { maximumFractionDigits: 2 });

function limitText(b: Budget): string {
  const parts: string[] = [];
  if (b.max_count !== null) parts.push(`${number.format(b.max_count)} jobs`);
  if (b.max_sum !== null) parts.push(`${number.format(b.max_sum.value)} of ${b.max_sum.field}`);
  return `At most ${parts.join(" and ")} per ${b.per}, over a sliding ${b.window}`;
}

function spentText(b: Budget, scope: Budget["scopes"][number]): string {
  const parts: string[] = [];
  if (b.max_count !== null) parts.push(`${scope.count} of ${b.max_count} jobs`);
  if (b.max_sum !== null) parts.push(`${number.format(scope.sum)} of ${number.format(b.max_sum.value)}`);
  return parts.join(", ");
}

/** One budget: what it allows and what each agent, person or the tenant has spent of it now. */
function BudgetCard({ budget: b }: { budget: Budget }) {
  const headingId = `budget-${b.rule_id}`;
  return (
    <div className="space-y-1">
      <h3 id={headingId} className="font-mono text-sm font-semibold break-all">
        {b.rule_id}
      </h3>
      <p className="text-sm text-slate-600">{limitText(b)}</p>
      {b.scopes.length === 0 ? (
        <p className="text-sm text-slate-600">Nothing spent in the window.</p>
      ) : (
        <table aria-labelledby={headingId} className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 text-slate-600">
            <tr>
              <th scope="col" className="py-1 pr-3 font-medium">{PER_LABEL[b.per]}</th>
              <th scope="col" className="py-1 text-right font-medium">Used</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 tabular-nums">
            {b.scopes.map((s) => (
              <tr key={s.key ?? "tenant"}>
                <th scope="row" className="py-1.5 pr-3 font-normal break-all">{s.key ?? "All jobs"}</th>
                <td className="py-1.5 text-right">{spentText(b, s)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {b.others > 0 && <p className="text-xs text-slate-500">and {b.others} more with some use</p>}
    </div>
  );
}

/** The active policy's budgets and their use now (read-only); nothing shows while no rule has one. */
export function BudgetUse() {
  const budgets = useQuery({
    queryKey: policyKeys.budgets(),
    queryFn: ({ signal }) => api<Budgets>("/api/v1/policy/budgets", { signal }),
  });
  if (budgets.error) {
    return (
      <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
        Could not load the budgets: {budgets.error.message}
      </p>
    );
  }
  if (!budgets.data || budgets.data.budgets.length === 0) return null;
  return (
    <section aria-labelledby="budgets-title" className="space-y-3 rounded-md border border-slate-200 bg-white p-4">
      <h2 id="budgets-title" className="text-base font-semibold">
        Budgets
      </h2>
      <p className="text-sm text-slate-600">Past its budget, a rule stops matching until older jobs leave the window.</p>
      {budgets.data.budgets.map((b) => (
        <BudgetCard key={b.rule_id} budget={b} />
      ))}
    </section>
  );
}
