"use client";

import { diffLines } from "diff";
import { useMemo, useState } from "react";
import type { SnapshotList } from "@/lib/client/use-policy";

type Snapshot = SnapshotList["items"][number];

const label = (s: Snapshot, i: number) => `${i === 0 ? "newest" : `${i} back`}${s.active ? " (active)" : ""} · ${s.created_by} · ${s.snapshot_id.slice(-12)}`;

/** Line diff between any two snapshots: what changed in the rules, as text a reviewer can read aloud. */
export function SnapshotDiff({ items }: { items: Snapshot[] }) {
  // Until the reader picks, compare the previous version with the newest (also after an activation).
  const [picked, setPicked] = useState<{ from?: string; to?: string }>({});
  const from = picked.from ?? items[1]?.snapshot_id ?? items[0]?.snapshot_id ?? "";
  const to = picked.to ?? items[0]?.snapshot_id ?? "";
  const a = items.find((s) => s.snapshot_id === from);
  const b = items.find((s) => s.snapshot_id === to);
  const parts = useMemo(() => (a && b ? diffLines(a.yaml, b.yaml) : []), [a, b]);
  if (items.length < 2) return null;
  const added = parts.filter((p) => p.added).reduce((n, p) => n + (p.count ?? 0), 0);
  const removed = parts.filter((p) => p.removed).reduce((n, p) => n + (p.count ?? 0), 0);
  return (
    <section aria-labelledby="diff-title" className="space-y-2 rounded-md border border-slate-200 bg-white p-4">
      <h2 id="diff-title" className="text-base font-semibold">
        Compare versions
      </h2>
      <div className="grid gap-2 sm:grid-cols-2">
        <SnapshotSelect label="From" items={items} value={from} onChange={(id) => setPicked((p) => ({ ...p, from: id }))} />
        <SnapshotSelect label="To" items={items} value={to} onChange={(id) => setPicked((p) => ({ ...p, to: id }))} />
      </div>
      <p className="text-sm" role="status">
        {from === to ? "The same version." : added + removed === 0 ? "No differences in the YAML." : `${added} line${added === 1 ? "" : "s"} added, ${removed} removed.`}
      </p>
      {from !== to && added + removed > 0 && (
        <pre className="max-h-96 overflow-auto rounded-md border border-slate-200 bg-slate-50 p-2 font-mono text-xs leading-relaxed" aria-label="Differences: lines starting with + were added, - removed">
          {parts.map((p, i) =>
            p.value
              .replace(/\n$/, "")
              .split("\n")
              .map((line, j) => (
                <span key={`${i}-${j}`} className={`block ${p.added ? "bg-emerald-100 text-emerald-900" : p.removed ? "bg-red-100 text-red-900" : "text-slate-600"}`}>
                  {p.added ? "+ " : p.removed ? "- " : "  "}
                  {line}
                </span>
              )),
          )}
        </pre>
      )}
    </section>
  );
}

function SnapshotSelect({ label: text, items, value, onChange }: { label: string; items: Snapshot[]; value: string; onChange: (id: string) => void }) {
  return (
    <label className="text-xs font-medium">
      {text}
      <select value={value} onChange={(e) => onChange(e.target.value)} className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm">
        {items.map((s, i) => (
          <option key={s.snapshot_id} value={s.snapshot_id}>
            {label(s, i)}
          </option>
        ))}
      </select>
    </label>
  );
}
