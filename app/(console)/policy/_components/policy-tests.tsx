"use client";

import { useId, useState } from "react";
import { ApiError } from "@/lib/client/api";
import { useTestPolicy } from "@/lib/client/use-policy";

const EXAMPLE = `- name: a small refund goes through
  job: { topic: job.payments.refund, payload: { amount: 50, currency: EUR } }
  expect: { decision: ALLOW }`;

const show = (v: unknown) => JSON.stringify(v);

/** Run a pasted tests file (DESIGN §2.1) against the draft above, with the server's engine; nothing is stored. */
export function PolicyTests({ policy }: { policy: string }) {
  const [tests, setTests] = useState("");
  const run = useTestPolicy();
  const ids = useId();
  const error = run.error;
  const where = error instanceof ApiError ? error.errors?.find((e) => e.line !== undefined) : undefined;
  return (
    <section aria-labelledby={`${ids}-title`} className="space-y-2 border-t border-slate-200 pt-3">
      <h3 id={`${ids}-title`} className="text-sm font-semibold">
        Tests
      </h3>
      <p id={`${ids}-help`} className="text-xs text-slate-600">
        Paste a tests file (a YAML list of <code>{"{name, job, expect}"}</code>, as <code>countersign policy test</code> reads) and run
        it against the YAML above. Nothing is stored; budgets count as unused.
      </p>
      <label htmlFor={`${ids}-tests`} className="text-sm font-medium">
        Tests YAML
      </label>
      <textarea
        id={`${ids}-tests`}
        value={tests}
        onChange={(e) => {
          setTests(e.target.value);
          run.reset();
        }}
        rows={8}
        wrap="off"
        spellCheck={false}
        placeholder={EXAMPLE}
        aria-describedby={`${ids}-help`}
        className="block w-full resize-y overflow-auto rounded-md border border-slate-300 p-2 font-mono text-xs leading-5"
      />
      <button
        type="button"
        onClick={() => run.mutate({ policy, tests })}
        disabled={run.isPending || tests.trim() === "" || policy.trim() === ""}
        className="rounded-md border border-slate-400 bg-white px-4 py-2 text-sm font-semibold hover:bg-slate-100 disabled:opacity-60"
      >
        {run.isPending ? "Running…" : "Run tests"}
      </button>
      <div role="status" aria-live="polite" className="empty:hidden">
        {run.data && (
          <div className="space-y-1 text-sm" data-testid="policy-test-report">
            <p className={`font-semibold ${run.data.failed === 0 ? "text-emerald-800" : "text-red-800"}`}>
              {run.data.passed} passed, {run.data.failed} failed
            </p>
            <ul aria-label="Test results" className="space-y-1">
              {run.data.results.map((r, i) => (
                <li key={`${i}-${r.name}`} className={`rounded-md border p-2 ${r.ok ? "border-emerald-200 bg-emerald-50" : "border-red-200 bg-red-50"}`}>
                  <span className={`mr-2 rounded px-1.5 py-0.5 text-xs font-semibold text-white ${r.ok ? "bg-emerald-700" : "bg-red-700"}`}>{r.ok ? "Pass" : "Fail"}</span>
                  {r.name}
                  {!r.ok && (
                    <dl className="mt-1 grid grid-cols-[max-content_minmax(0,1fr)] gap-x-2 font-mono text-xs break-all">
                      <dt>expected</dt>
                      <dd>{show(r.expected)}</dd>
                      <dt>actual</dt>
                      <dd>{show(r.actual)}</dd>
                    </dl>
                  )}
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
      {error && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-2 text-sm text-red-800">
          {error.message}
          {where ? ` (${where.path}, line ${where.line}, column ${where.column})` : ""}
        </p>
      )}
    </section>
  );
}
