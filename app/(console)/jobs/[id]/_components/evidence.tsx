"use client";

import { CopyButton } from "@/components/ui/copy-button";
import type { JobDetail } from "@/lib/client/types";
import { localTime } from "@/components/approvals/format";
import { Execution } from "./execution";
import { PayloadView } from "./payload-view";

const dt = "text-xs font-semibold uppercase tracking-wide text-slate-500";

/** The evidence a decision needs, compactly: what it does, who asks, why it is gated, who has voted. */
export function Evidence({ detail }: { detail: JobDetail }) {
  const { job: item, votes, decisions } = detail;
  const { job } = item;
  const labels = Object.entries(job.labels);
  return (
    <div className="space-y-4">
      {job.description && (
        <section aria-labelledby="ev-desc">
          <h2 id="ev-desc" className={dt}>
            Description
          </h2>
          <p className="whitespace-pre-wrap text-sm">{job.description}</p>
        </section>
      )}
      <section aria-labelledby="ev-payload">
        <h2 id="ev-payload" className={dt}>
          Payload (what will run)
        </h2>
        <PayloadView payload={job.payload} />
      </section>
      <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-2">
        <div>
          <dt className={dt}>Requested by</dt>
          <dd>{job.requested_by}</dd>
        </div>
        <div>
          <dt className={dt}>On behalf of</dt>
          <dd>{job.on_behalf_of ?? "—"}</dd>
        </div>
        <div>
          <dt className={dt}>Topic and risk tags</dt>
          <dd>
            <span className="font-mono">{job.topic}</span> {job.risk_tags.length ? job.risk_tags.join(", ") : "(no tags)"}
          </dd>
        </div>
        <div>
          <dt className={dt}>Submitted</dt>
          <dd>{localTime(job.created_at)}</dd>
        </div>
        {labels.length > 0 && (
          <div className="sm:col-span-2">
            <dt className={dt}>Labels</dt>
            <dd className="flex flex-wrap gap-1">
              {labels.map(([k, v]) => (
                <span key={k} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs">
                  {k}={v}
                </span>
              ))}
            </dd>
          </div>
        )}
      </dl>
      <section aria-labelledby="ev-rules">
        <h2 id="ev-rules" className={dt}>
          Matched rules
        </h2>
        <ul className="mt-1 space-y-0.5 text-sm">
          {item.matched_rules.length === 0 && <li>No rule matched: the policy default applied ({item.policy_reason}).</li>}
          {item.matched_rules.map((r) => (
            <li key={r.id}>
              <span className="font-mono">{r.id}</span> <span className="text-slate-500">({r.decision})</span>
              {r.reason && <span>: {r.reason}</span>}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="ev-reqs">
        <h2 id="ev-reqs" className={dt}>
          Approvals
        </h2>
        <ul className="mt-1 space-y-1 text-sm">
          {item.requirements.map((r) => (
            <li key={r.rule_id}>
              <strong>
                {Math.min(r.approvals, r.count)}/{r.count}
              </strong>{" "}
              from {r.roles.join(" or ")} <span className="text-slate-500">(rule {r.rule_id})</span>
            </li>
          ))}
        </ul>
        {votes.length > 0 ? (
          <ol className="mt-2 space-y-1 border-l-2 border-slate-200 pl-3 text-sm" aria-label="Votes so far">
            {votes.map((v) => (
              <li key={`${v.voter}-${v.created_at}`}>
                <span className={v.vote === "approve" ? "font-semibold text-emerald-800" : "font-semibold text-red-800"}>
                  {v.vote === "approve" ? "Approved" : "Rejected"}
                </span>{" "}
                by {v.voter} ({v.roles.join(", ")}) at {localTime(v.created_at)}: “{v.reason}”{v.note && <span className="text-slate-600"> — {v.note}</span>}
                {v.credential && (
                  <span className="ml-1 font-mono text-xs text-slate-500" title="The credential this vote came through" data-testid="vote-credential">
                    via {v.credential}
                  </span>
                )}
              </li>
            ))}
          </ol>
        ) : (
          <p className="mt-1 text-sm text-slate-600">No votes yet.</p>
        )}
      </section>
      {["APPROVED", "RUNNING", "SUCCEEDED", "FAILED"].includes(job.state) && <Execution execution={detail.execution} state={job.state} />}
      <section aria-labelledby="ev-log">
        <h2 id="ev-log" className={dt}>
          Decision log (why the policy gated)
        </h2>
        <ol className="mt-1 space-y-0.5 text-sm">
          {decisions.map((d) => (
            <li key={`${d.cause}-${d.created_at}-${d.policy_snapshot}`}>
              {localTime(d.created_at)}: {{ submit: "on submission", policy_change: "after a policy change", standing_approval: "approved by a standing approval" }[d.cause]},{" "}
              <strong>{d.decision.toLowerCase().replaceAll("_", " ")}</strong> by rule <span className="font-mono">{d.rule_id}</span> ({d.reason})
            </li>
          ))}
        </ol>
      </section>
      {/* A <dl> may hold only dt/dd (in divs): the copy buttons live inside each dd. */}
      <dl className="space-y-1 text-xs">
        <div className="flex flex-wrap items-center gap-2">
          <dt className="font-semibold text-slate-500">Job hash</dt>
          <dd className="flex min-w-0 flex-wrap items-center gap-2">
            <span className="break-all font-mono">{item.job_hash}</span>
            <CopyButton value={item.job_hash} label="job hash" />
          </dd>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <dt className="font-semibold text-slate-500">Policy snapshot</dt>
          <dd className="flex min-w-0 flex-wrap items-center gap-2">
            <span className="break-all font-mono">{item.policy_snapshot}</span>
            <CopyButton value={item.policy_snapshot} label="policy snapshot id" />
          </dd>
        </div>
      </dl>
    </div>
  );
}
