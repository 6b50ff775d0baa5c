"use client";

import { useInfiniteQuery, useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useMemo, type FormEvent } from "react";
import { localTime } from "@/components/approvals/format";
import { api } from "@/lib/client/api";

interface AuditEvent {
  id: number;
  seq: number | null;
  type: string;
  actor: string;
  job_id: string | null;
  data: Record<string, unknown>;
  created_at: string;
  hash: string | null;
}

interface VerifyResult {
  ok: boolean;
  checked: number;
  head: { seq: number; hash: string } | null;
  first_broken: { seq: number; reason: string } | null;
  pending: number;
  rejected: { id: number; type: string; actor: string; created_at: string; reason: string }[];
}

const FILTERS = ["job_id", "actor", "type", "since", "until"] as const;
const input = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";

/** datetime-local values are the reader's local time; the API wants an ISO instant. */
const toIso = (v: string) => (v ? new Date(v).toISOString() : "");

export function AuditClient({ types }: { types: string[] }) {
  const params = useSearchParams();
  const router = useRouter();
  const filters = useMemo(() => {
    const q = new URLSearchParams();
    for (const k of FILTERS) {
      const v = params.get(k);
      if (v) q.set(k, v);
    }
    return q;
  }, [params]);
  const list = useInfiniteQuery({
    queryKey: ["audit", filters.toString()],
    queryFn: ({ pageParam, signal }) => {
      const q = new URLSearchParams(filters);
      q.set("limit", "200");
      if (pageParam) q.set("cursor", pageParam);
      return api<{ items: AuditEvent[]; next_cursor: string | null }>(`/api/v1/audit?${q}`, { signal });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
  const verify = useMutation({ mutationFn: () => api<VerifyResult>("/api/v1/audit/verify") });
  const events = list.data?.pages.flatMap((p) => p.items) ?? [];

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const q = new URLSearchParams();
    for (const k of FILTERS) {
      const raw = String(data.get(k) ?? "").trim();
      const v = k === "since" || k === "until" ? toIso(raw) : raw;
      if (v) q.set(k, v);
    }
    router.replace(q.size ? `/audit?${q}` : "/audit", { scroll: false });
  };

  return (
    <section aria-labelledby="audit-title" className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 id="audit-title" className="text-xl font-bold">
            Audit trail
          </h1>
          <p className="text-sm text-slate-600">Every change, in the order it was written, chained by hash. Nothing here can be edited.</p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <button type="button" onClick={() => verify.mutate()} disabled={verify.isPending} className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm hover:bg-slate-100">
            {verify.isPending ? "Verifying…" : "Verify the chain"}
          </button>
          <a href={`/api/v1/audit/export${filters.size ? `?${filters}` : ""}`} className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm hover:bg-slate-100" download>
            Export JSON Lines
          </a>
        </div>
      </div>
      <div aria-live="polite" role="status" className="min-h-5 text-sm">
        {verify.data &&
          (verify.data.ok ? (
            <span className="text-emerald-800">Chain intact: {verify.data.checked} events checked{verify.data.head ? `, head #${verify.data.head.seq}` : ""}.</span>
          ) : (
            <span className="font-semibold text-red-800">
              {verify.data.first_broken && `Chain broken at event #${verify.data.first_broken.seq}: ${verify.data.first_broken.reason}. `}
              {verify.data.rejected.length > 0 &&
                `Forged rows refused by the sealer (never in the chain): ${verify.data.rejected
                  .map((r) => `row ${r.id} (${r.type} by ${r.actor}, dated ${r.created_at})`)
                  .join("; ")}.`}
            </span>
          ))}
        {verify.isError && <span className="text-red-800">Verification failed: {verify.error.message}</span>}
      </div>
      <form role="search" aria-label="Filter the audit trail" onSubmit={onSubmit} className="flex flex-wrap items-end gap-2" key={filters.toString()}>
        <label className="flex flex-col text-xs font-medium">
          Job
          <input name="job_id" defaultValue={filters.get("job_id") ?? ""} placeholder="job-…" className={input} />
        </label>
        <label className="flex flex-col text-xs font-medium">
          Actor
          <input name="actor" defaultValue={filters.get("actor") ?? ""} placeholder="user:ada@example.com" className={input} />
        </label>
        <label className="flex flex-col text-xs font-medium">
          Event type
          <select name="type" defaultValue={filters.get("type") ?? ""} className={input}>
            <option value="">any</option>
            {types.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label className="flex flex-col text-xs font-medium">
          From
          <input name="since" type="datetime-local" className={input} />
        </label>
        <label className="flex flex-col text-xs font-medium">
          To
          <input name="until" type="datetime-local" className={input} />
        </label>
        <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm hover:bg-slate-100">
          Apply
        </button>
        {filters.size > 0 && (
          <Link href="/audit" className="px-2 py-1 text-sm text-blue-800 underline">
            Clear
          </Link>
        )}
      </form>
      {list.isError && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-2 text-sm text-red-800">
          {list.error.message}
        </p>
      )}
      <div className="overflow-x-auto rounded-md border border-slate-200 bg-white">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Audit events, oldest first</caption>
          <thead className="bg-slate-50 text-xs uppercase text-slate-600">
            <tr>
              <th scope="col" className="px-3 py-2">#</th>
              <th scope="col" className="px-3 py-2">When</th>
              <th scope="col" className="px-3 py-2">Event</th>
              <th scope="col" className="px-3 py-2">Actor</th>
              <th scope="col" className="px-3 py-2">Job</th>
              <th scope="col" className="px-3 py-2">Details</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id} className="border-t border-slate-100 align-top">
                <td className="px-3 py-1.5 font-mono text-xs">{e.seq ?? "…"}</td>
                <td className="whitespace-nowrap px-3 py-1.5">{localTime(e.created_at)}</td>
                <td className="px-3 py-1.5 font-mono text-xs">{e.type}</td>
                <td className="px-3 py-1.5">{e.actor}</td>
                <td className="px-3 py-1.5">
                  {e.job_id && (
                    <Link href={`/jobs/${encodeURIComponent(e.job_id)}`} className="font-mono text-xs text-blue-800 underline">
                      {e.job_id.slice(-8)}
                    </Link>
                  )}
                </td>
                <td className="max-w-md truncate px-3 py-1.5 font-mono text-xs text-slate-600" title={JSON.stringify(e.data)}>
                  {JSON.stringify(e.data)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {events.length === 0 && !list.isPending && <p className="p-4 text-sm text-slate-600">No events match.</p>}
      </div>
      {list.hasNextPage && (
        <button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage} className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm">
          {list.isFetchingNextPage ? "Loading…" : "Load more"}
        </button>
      )}
    </section>
  );
}
