"use client";

/** One changed setting: "key: from → to". */
interface Change {
  key: string;
  from: unknown;
  to: unknown;
}

const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const FROM = ["from", "old", "before", "current"];
const TO = ["to", "new", "after", "proposed"];
const pick = (o: Record<string, unknown>, names: string[]) => names.find((n) => n in o);

/**
 * The changes a config-style payload proposes, read from its from/to pairs: a top-level pair named by
 * `key` (or `setting`), or any field whose value is `{from, to}` (also old/new, before/after).
 */
export function changesIn(payload: Record<string, unknown>): Change[] {
  const out: Change[] = [];
  const f = pick(payload, FROM);
  const t = pick(payload, TO);
  if (f && t) {
    const named = payload.key ?? payload.setting ?? payload.field;
    out.push({ key: typeof named === "string" ? named : "value", from: payload[f], to: payload[t] });
  }
  for (const [k, v] of Object.entries(payload)) {
    if (!isObject(v)) continue;
    const vf = pick(v, FROM);
    const vt = pick(v, TO);
    if (vf && vt && Object.keys(v).length <= 3) out.push({ key: k, from: v[vf], to: v[vt] });
    else out.push(...changesIn(v).map((c) => ({ ...c, key: c.key === "value" ? k : `${k}.${c.key}` })));
  }
  return out;
}

/** What will run: the proposed changes first, then the payload as text (never as HTML: it is the agent's words). */
export function PayloadView({ payload }: { payload: Record<string, unknown> }) {
  const changes = changesIn(payload);
  return (
    <>
      {changes.length > 0 && (
        <ul aria-label="Proposed changes" className="mt-1 space-y-0.5 rounded-md border border-amber-200 bg-amber-50 p-2 font-mono text-sm">
          {changes.map((c) => (
            <li key={c.key} className="break-words">
              {c.key}: {show(c.from)} → {show(c.to)}
            </li>
          ))}
        </ul>
      )}
      <pre
        className="mt-1 max-h-96 overflow-auto rounded-md border border-slate-200 bg-slate-900 p-3 font-mono text-xs leading-relaxed text-slate-100"
        data-testid="payload"
        tabIndex={0}
        aria-label="Payload as JSON"
      >
        {JSON.stringify(payload, null, 2)}
      </pre>
    </>
  );
}
