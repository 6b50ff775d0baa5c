"use client";

import { useId } from "react";
import type { JobItem } from "@/lib/client/types";
import { voteOutcome } from "@/lib/services/approvals/rules";

const DURATIONS = [
  ["30m", "30 minutes"],
  ["1h", "1 hour"],
  ["2h", "2 hours"],
  ["4h", "4 hours"],
  ["8h", "8 hours"],
  ["24h", "24 hours"],
] as const;

/**
 * Whether this approve may also stand for identical later requests (DESIGN §2.1): every requirement
 * needs one person, and this reviewer's approval alone approves the job (the server's rule: grant.ts).
 */
export function standingAllowed(item: JobItem, roles: string[]): boolean {
  return item.requirements.length > 0 && item.requirements.every((r) => r.count === 1) && voteOutcome(item.requirements, roles, "approve").decides === "APPROVED";
}

/** "Also approve identical requests from this agent for …": null when unticked. */
export function StandingOption({ item, roles, value, onChange }: { item: JobItem; roles: string[]; value: string | null; onChange: (v: string | null) => void }) {
  const ids = useId();
  if (!standingAllowed(item, roles)) return null;
  return (
    <fieldset className="space-y-1 rounded-md border border-slate-200 p-2 text-sm">
      <legend className="sr-only">Standing approval</legend>
      <div className="flex flex-wrap items-center gap-2">
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={value !== null} onChange={(e) => onChange(e.target.checked ? "2h" : null)} aria-describedby={`${ids}-help`} />
          Also approve identical requests from this agent for
        </label>
        <label className="sr-only" htmlFor={`${ids}-for`}>
          Standing approval duration
        </label>
        <select
          id={`${ids}-for`}
          value={value ?? "2h"}
          disabled={value === null}
          onChange={(e) => onChange(e.target.value)}
          className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm disabled:opacity-60"
        >
          {DURATIONS.map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <p id={`${ids}-help`} className="text-xs text-slate-600">
        Same agent ({item.job.requested_by}), same action and payload, under this policy. Listed under Standing approvals, where you can
        revoke it.
      </p>
    </fieldset>
  );
}
