"use client";

import { diffLines } from "diff";
import { useMemo } from "react";

const CONTEXT = 3;

type Line = { kind: "added" | "removed" | "same"; text: string };
type Row = Line | { kind: "skip"; count: number };

/** The lines of `a` → `b`, keeping only changed lines and CONTEXT unchanged lines around each. */
export function changedWithContext(a: string, b: string): { rows: Row[]; added: number; removed: number } {
  const lines: Line[] = diffLines(a, b).flatMap((p) =>
    p.value
      .replace(/\n$/, "")
      .split("\n")
      .map((text) => ({ kind: p.added ? "added" : p.removed ? "removed" : "same", text }) as Line),
  );
  const near = new Array<boolean>(lines.length).fill(false);
  lines.forEach((l, i) => {
    if (l.kind === "same") return;
    for (let j = Math.max(0, i - CONTEXT); j <= Math.min(lines.length - 1, i + CONTEXT); j++) near[j] = true;
  });
  const rows: Row[] = [];
  lines.forEach((l, i) => {
    if (near[i]) return void rows.push(l);
    const last = rows.at(-1);
    if (last?.kind === "skip") last.count += 1;
    else rows.push({ kind: "skip", count: 1 });
  });
  return { rows, added: lines.filter((l) => l.kind === "added").length, removed: lines.filter((l) => l.kind === "removed").length };
}

/** A line diff showing only what changed, with context; unchanged stretches collapse to one line. */
export function DiffView({ from, to, label }: { from: string; to: string; label: string }) {
  const { rows, added, removed } = useMemo(() => changedWithContext(from, to), [from, to]);
  if (added + removed === 0) return <p className="text-sm">No differences in the YAML.</p>;
  return (
    <div className="space-y-1">
      <p className="text-sm">
        {added} line{added === 1 ? "" : "s"} added, {removed} removed.
      </p>
      <pre
        tabIndex={0}
        role="region"
        aria-label={`${label}: lines starting with + were added, - removed`}
        className="max-h-96 overflow-auto rounded-md border border-slate-200 bg-slate-50 p-2 font-mono text-xs leading-relaxed"
      >
        {rows.map((r, i) =>
          r.kind === "skip" ? (
            <span key={i} className="block text-slate-500 italic">
              {`  ⋯ ${r.count} unchanged line${r.count === 1 ? "" : "s"}`}
            </span>
          ) : (
            <span key={i} className={`block ${r.kind === "added" ? "bg-emerald-100 text-emerald-900" : r.kind === "removed" ? "bg-red-100 text-red-900" : "text-slate-600"}`}>
              {r.kind === "added" ? "+ " : r.kind === "removed" ? "- " : "  "}
              {r.text}
            </span>
          ),
        )}
      </pre>
    </div>
  );
}
