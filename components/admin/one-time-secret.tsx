"use client";

import { CopyButton } from "@/components/ui/copy-button";

/** A secret or one-time link shown once: selectable, copyable, and said plainly to be shown only now. */
export function OneTimeSecret({ title, value, label, children }: { title: string; value: string; label: string; children?: React.ReactNode }) {
  return (
    <section aria-label={title} role="status" className="space-y-2 rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm">
      <h2 className="font-semibold text-slate-900">{title}</h2>
      {children}
      <div className="flex flex-wrap items-center gap-2">
        <input
          readOnly
          aria-label={label}
          value={value}
          onFocus={(e) => e.currentTarget.select()}
          className="min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-2 py-1 font-mono text-xs"
        />
        <CopyButton value={value} label={label} />
      </div>
    </section>
  );
}
