"use client";

import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { REASON_PRESETS } from "@/components/approvals/reasons";

interface Props {
  vote: "approve" | "reject";
  /** What is being decided, in words: a title, or "3 requests". */
  subject: string;
  busy: boolean;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}

/**
 * A compact reason picker for deciding from the queue: a number key picks a preset, Enter confirms,
 * Esc cancels. A reason is required; nothing is picked until the reviewer picks it.
 */
export function ReasonPicker({ vote, subject, busy, onConfirm, onCancel }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const ids = useId();
  const presets = REASON_PRESETS[vote];
  const [picked, setPicked] = useState<string | null>(null);
  const [own, setOwn] = useState("");
  const [missing, setMissing] = useState(false);
  const reason = (own.trim() || picked || "").trim();

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);

  const confirm = () => {
    if (!reason) return setMissing(true);
    if (!busy) onConfirm(reason);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDialogElement>) => {
    const typing = (e.target as HTMLElement).tagName === "INPUT" && (e.target as HTMLInputElement).type === "text";
    if (e.key === "Enter") {
      e.preventDefault();
      confirm();
    } else if (!typing && /^[1-9]$/.test(e.key) && presets[Number(e.key) - 1]) {
      e.preventDefault();
      setPicked(presets[Number(e.key) - 1]!);
      setOwn("");
      setMissing(false);
    }
  };

  const verb = vote === "approve" ? "Approve" : "Reject";
  return (
    <dialog
      ref={ref}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
      onKeyDown={onKeyDown}
      aria-labelledby={`${ids}-title`}
      className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40"
    >
      <form
        className="space-y-3 p-4"
        onSubmit={(e) => {
          e.preventDefault();
          confirm();
        }}
      >
        <h2 id={`${ids}-title`} className="text-base font-semibold break-words">
          {verb} {subject}
        </h2>
        <fieldset>
          <legend className="mb-1 text-sm font-medium">
            Reason <span className="text-red-700">(required)</span> <span className="hidden font-normal text-slate-500 md:inline">press 1–{presets.length}</span>
          </legend>
          <div className="space-y-1">
            {presets.map((p, i) => (
              <label key={p} className="flex cursor-pointer items-center gap-2 rounded px-2 py-1 text-sm hover:bg-slate-100">
                <input type="radio" name="reason" value={p} checked={picked === p && !own.trim()} onChange={() => (setPicked(p), setOwn(""), setMissing(false))} />
                <kbd className="hidden rounded border border-slate-300 bg-slate-50 px-1 font-mono text-xs md:inline">{i + 1}</kbd>
                {p}
              </label>
            ))}
          </div>
        </fieldset>
        <label className="block text-sm font-medium">
          Or your own reason
          <input type="text" value={own} onChange={(e) => (setOwn(e.target.value), setMissing(false))} maxLength={1000} className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm" />
        </label>
        {missing && (
          <p role="alert" className="text-sm text-red-800">
            Pick a reason first.
          </p>
        )}
        <div className="flex justify-end gap-2">
          <button type="button" onClick={onCancel} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100">
            Cancel
          </button>
          <button type="submit" disabled={busy} className={`rounded-md px-3 py-1.5 text-sm font-semibold text-white disabled:opacity-60 ${vote === "approve" ? "bg-emerald-700" : "bg-red-700"}`}>
            {busy ? "Sending…" : `Confirm ${verb.toLowerCase()}`}
          </button>
        </div>
      </form>
    </dialog>
  );
}
