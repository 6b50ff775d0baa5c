"use client";

import { useEffect, useRef } from "react";

export const QUEUE_KEYS: [string, string][] = [
  ["j / k", "next / previous request"],
  ["Enter", "open the selected request"],
  ["a", "approve the selected request (pick a reason, Enter confirms)"],
  ["r", "reject the selected request (pick a reason, Enter confirms)"],
  ["x", "select the request for a batch decision"],
  ["1–9", "in the reason picker: choose that reason"],
  ["/", "filter"],
  ["?", "show these keys"],
  ["Esc", "close this"],
];

export const JOB_KEYS: [string, string][] = [
  ["j / k", "next / previous request in the list you came from"],
  ["a", "approve: choose a reason in the form"],
  ["r", "reject: choose a reason in the form"],
  ["Esc", "back to the list"],
  ["?", "show these keys"],
];

export function ShortcutHelp({ open, onClose, keys = QUEUE_KEYS }: { open: boolean; onClose: () => void; keys?: [string, string][] }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} onClose={onClose} aria-labelledby="shortcut-title" className="m-auto rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40">
      <div className="w-80 p-5">
        <h2 id="shortcut-title" className="mb-3 text-lg font-semibold">
          Keyboard shortcuts
        </h2>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm">
          {keys.map(([k, what]) => (
            <div key={k} className="contents">
              <dt>
                <kbd className="rounded border border-slate-300 bg-slate-100 px-1.5 font-mono text-xs">{k}</kbd>
              </dt>
              <dd>{what}</dd>
            </div>
          ))}
        </dl>
        <button type="button" onClick={onClose} className="mt-4 rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100" autoFocus>
          Close
        </button>
      </div>
    </dialog>
  );
}
