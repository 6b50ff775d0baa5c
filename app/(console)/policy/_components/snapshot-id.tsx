import { CopyButton } from "@/components/ui/copy-button";

/** A snapshot id is long: show it whole (it wraps) in monospace, with a copy button beside it. */
export function SnapshotId({ id, label = "snapshot id" }: { id: string; label?: string }) {
  return (
    <span className="inline-flex max-w-full items-start gap-2">
      <code className="min-w-0 break-all font-mono text-xs text-slate-800">{id}</code>
      <CopyButton value={id} label={label} />
    </span>
  );
}
