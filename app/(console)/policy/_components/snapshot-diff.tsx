"use client";

import { useState } from "react";
import type { SnapshotList } from "@/lib/client/use-policy";
import { DiffView } from "./diff-view";

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
  if (items.length < 2) return null;
  return (
    <section aria-labelledby="diff-title" className="space-y-2 rounded-md border border-slate-200 bg-white p-4">
      <h2 id="diff-title" className="text-base font-semibold">
        Compare versions
      </h2>
      <div className="grid gap-2 sm:grid-cols-2">
        <SnapshotSelect label="From" items={items} value={from} onChange={(id) => setPicked((p) => ({ ...p, from: id }))} />
        <SnapshotSelect label="To" items={items} value={to} onChange={(id) => setPicked((p) => ({ ...p, to: id }))} />
      </div>
      {from === to ? <p className="text-sm">The same version.</p> : a && b && <DiffView from={a.yaml} to={b.yaml} label="Differences between the versions" />}
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
