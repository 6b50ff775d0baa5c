"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, type FormEvent } from "react";
import type { QueueFilters } from "@/lib/client/keys";
import { rememberScope } from "@/lib/client/queue-scope";

interface Props {
  basePath: string;
  filters: QueueFilters;
  ruleIds: string[];
  showActionable: boolean;
  focusSignal: number;
}

const input = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";

/** Filters live in the URL, so a reload or a shared link shows the same queue. */
export function QueueFiltersBar({ basePath, filters, ruleIds, showActionable, focusSignal }: Props) {
  const router = useRouter();
  const firstRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (focusSignal > 0) firstRef.current?.focus();
  }, [focusSignal]);

  function apply(form: HTMLFormElement) {
    const data = new FormData(form);
    const q = new URLSearchParams();
    for (const key of ["topic", "risk_tag", "rule_id"] as const) {
      const v = String(data.get(key) ?? "").trim();
      if (v) q.set(key, v);
    }
    if (showActionable) {
      const mine = Boolean(data.get("actionable"));
      rememberScope(mine ? "mine" : "all");
      q.set("actionable", String(mine));
    }
    const qs = q.toString();
    router.replace(qs ? `${basePath}?${qs}` : basePath, { scroll: false });
  }

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    apply(e.currentTarget);
  };

  return (
    <form role="search" aria-label="Filter the queue" onSubmit={onSubmit} className="flex flex-wrap items-end gap-2" key={JSON.stringify(filters)}>
      <label className="flex flex-col text-xs font-medium text-slate-700">
        Topic
        <input ref={firstRef} name="topic" defaultValue={filters.topic ?? ""} placeholder="job.payment.refund" className={input} />
      </label>
      <label className="flex flex-col text-xs font-medium text-slate-700">
        Risk tag
        <input name="risk_tag" defaultValue={filters.risk_tag ?? ""} placeholder="prod" className={`${input} w-28`} />
      </label>
      <label className="flex flex-col text-xs font-medium text-slate-700">
        Rule
        <select name="rule_id" defaultValue={filters.rule_id ?? ""} className={input} onChange={(e) => apply(e.currentTarget.form!)}>
          <option value="">any rule</option>
          {ruleIds.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      {showActionable && (
        <label className="flex items-center gap-1.5 pb-1 text-sm">
          <input type="checkbox" name="actionable" defaultChecked={filters.actionable} onChange={(e) => apply(e.currentTarget.form!)} />
          Only what I can act on
        </label>
      )}
      <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm hover:bg-slate-100">
        Apply
      </button>
      {Object.keys(filters).some((k) => k !== "actionable") && (
        <button
          type="button"
          className="px-2 py-1 text-sm text-blue-800 underline"
          // Clearing the filters keeps the reviewer's choice of scope.
          onClick={() => router.replace(showActionable ? `${basePath}?actionable=${String(Boolean(filters.actionable))}` : basePath, { scroll: false })}
        >
          Clear filters
        </button>
      )}
    </form>
  );
}
