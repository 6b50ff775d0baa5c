const TONES: Record<string, string> = {
  APPROVAL: "bg-amber-100 text-amber-900",
  APPROVED: "bg-emerald-100 text-emerald-900",
  RUNNING: "bg-sky-100 text-sky-900",
  SUCCEEDED: "bg-emerald-100 text-emerald-900",
  FAILED: "bg-red-100 text-red-900",
  REJECTED: "bg-red-100 text-red-900",
  DENIED: "bg-red-100 text-red-900",
  EXPIRED: "bg-slate-200 text-slate-800",
  CANCELLED: "bg-slate-200 text-slate-800",
};

const WORDS: Record<string, string> = { APPROVAL: "awaiting approval" };

export function StateBadge({ state }: { state: string }) {
  return (
    <span className={`rounded px-2 py-0.5 text-xs font-semibold uppercase tracking-wide ${TONES[state] ?? "bg-slate-100"}`} data-testid="job-state">
      {WORDS[state] ?? state.toLowerCase()}
    </span>
  );
}
