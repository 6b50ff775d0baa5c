"use client";

import { useId, useRef, useState, type ChangeEvent } from "react";
import { useActivatePolicy, useSimulatePolicy } from "@/lib/client/use-policy";
import { ActivateConfirm } from "./activate-confirm";
import { ActivationResult } from "./activation-result";
import { DiffView } from "./diff-view";
import { PolicyTests } from "./policy-tests";
import { SimulationResult } from "./simulation-result";
import { offsetOf } from "./text-position";
import { PolicyErrors } from "./validation-errors";

const MAX_BYTES = 256 * 1024;
const DAY_CHOICES = [1, 7, 30, 90] as const;

/**
 * Edit, check and activate a new policy version. "Check" runs the server's own parser through
 * simulate (nothing is stored); "Activate" uploads it, and the server refuses it whole if invalid.
 */
export function PolicyEditor({ activeYaml, activeId }: { activeYaml: string; activeId: string | undefined }) {
  const [draft, setDraft] = useState(activeYaml);
  const [days, setDays] = useState<number>(7);
  const [fileError, setFileError] = useState<string | null>(null);
  // The YAML awaiting confirmation of its impact (the dialog is open while set).
  const [confirming, setConfirming] = useState<string | null>(null);
  const check = useSimulatePolicy();
  const activate = useActivatePolicy();
  const textRef = useRef<HTMLTextAreaElement>(null);
  const ids = useId();
  const busy = check.isPending || activate.isPending;
  const error = activate.error ?? check.error;

  const edit = (text: string) => {
    setDraft(text);
    // A result describes the text it was computed for: drop it once that text changes.
    check.reset();
    activate.reset();
  };

  const loadFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const input = e.currentTarget;
    const file = input.files?.[0];
    input.value = ""; // choosing the same file again should load it again
    if (!file) return;
    if (file.size > MAX_BYTES) {
      setFileError(`${file.name} is larger than 256 KiB, the most the server accepts.`);
      return;
    }
    setFileError(null);
    edit(await file.text());
    textRef.current?.focus();
  };

  const jumpTo = (line: number, column: number) => {
    const ta = textRef.current;
    if (!ta) return;
    const at = offsetOf(ta.value, line, column);
    ta.focus();
    ta.setSelectionRange(at, Math.min(at + 1, ta.value.length));
    const lineHeight = parseFloat(getComputedStyle(ta).lineHeight) || 20;
    ta.scrollTop = Math.max(0, (line - 3) * lineHeight);
  };

  const runCheck = () => {
    activate.reset();
    check.mutate({ yaml: draft, days });
  };
  const runActivate = () => {
    setConfirming(null);
    check.reset();
    activate.mutate(draft);
  };

  return (
    <section aria-labelledby={`${ids}-title`} className="space-y-3 rounded-md border border-slate-300 bg-white p-4">
      <h2 id={`${ids}-title`} className="text-base font-semibold">
        Upload a new version
      </h2>
      <p id={`${ids}-help`} className="text-sm text-slate-600">
        Edit the YAML below or load a file. <strong>Check</strong> validates it and shows what it would decide, without changing
        anything. <strong>Activate</strong> makes it the active policy and re-decides jobs awaiting approval or approved and not yet run; an invalid policy is
        refused whole and the active one stays.
      </p>
      <div className="flex flex-wrap items-end gap-3 text-sm">
        <label className="font-medium">
          Load a YAML file
          <input
            type="file"
            accept=".yaml,.yml,application/yaml,text/yaml,text/plain"
            onChange={(e) => void loadFile(e)}
            className="mt-1 block w-full max-w-full text-sm file:mr-2 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-2 file:py-1"
          />
        </label>
        <label className="font-medium">
          Compare with jobs from the last
          <select
            value={days}
            onChange={(e) => setDays(Number(e.target.value))}
            className="mt-1 block rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"
          >
            {DAY_CHOICES.map((d) => (
              <option key={d} value={d}>
                {d} day{d === 1 ? "" : "s"}
              </option>
            ))}
          </select>
        </label>
      </div>
      {fileError && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-2 text-sm text-red-800">
          {fileError}
        </p>
      )}
      <div>
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <label htmlFor={`${ids}-yaml`} className="text-sm font-medium">
            Policy YAML
          </label>
          <span className="text-xs text-slate-500">{draft === activeYaml ? "Same as the active policy" : "Edited"}</span>
        </div>
        <textarea
          id={`${ids}-yaml`}
          ref={textRef}
          value={draft}
          onChange={(e) => edit(e.target.value)}
          rows={22}
          wrap="off"
          spellCheck={false}
          autoCapitalize="off"
          autoCorrect="off"
          aria-invalid={error ? true : undefined}
          aria-describedby={`${ids}-help${error ? ` ${ids}-errors` : ""}`}
          className="mt-1 block w-full resize-y overflow-auto rounded-md border border-slate-300 p-2 font-mono text-xs leading-5"
        />
      </div>
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          onClick={runCheck}
          disabled={busy || draft.trim() === ""}
          className="rounded-md border border-slate-400 bg-white px-4 py-2 text-sm font-semibold hover:bg-slate-100 disabled:opacity-60"
        >
          {check.isPending ? "Checking…" : "Check"}
        </button>
        <button
          type="button"
          onClick={() => setConfirming(draft)}
          disabled={busy || draft.trim() === ""}
          className="rounded-md bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 disabled:opacity-60"
        >
          {activate.isPending ? "Activating…" : "Activate"}
        </button>
        <button
          type="button"
          onClick={() => edit(activeYaml)}
          disabled={busy || draft === activeYaml}
          className="rounded-md px-3 py-2 text-sm text-slate-700 underline hover:bg-slate-100 disabled:no-underline disabled:opacity-60"
        >
          Reset to the active policy
        </button>
      </div>
      <ActivateConfirm yaml={confirming} days={days} title="Activate this policy?" onConfirm={runActivate} onCancel={() => setConfirming(null)} />
      {draft !== activeYaml && activeYaml !== "" && (
        <details className="text-sm">
          <summary className="cursor-pointer font-medium">Changes from the active policy</summary>
          <DiffView from={activeYaml} to={draft} label="Changes from the active policy" />
        </details>
      )}
      {/* Always in the page, so screen readers announce what appears in it. */}
      <div role="status" aria-live="polite" className="empty:hidden">
        {check.data && <SimulationResult result={check.data} activeId={activeId} />}
        {activate.data && <ActivationResult result={activate.data} />}
      </div>
      {error && (
        <div id={`${ids}-errors`}>
          <PolicyErrors error={error} onJump={jumpTo} />
        </div>
      )}
      <PolicyTests policy={draft} />
    </section>
  );
}
