"use client";

import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { REASON_PRESETS } from "@/components/approvals/reasons";
import { useNow } from "@/components/approvals/use-now";
import type { JobDetail, JobItem } from "@/lib/client/types";
import { useResolve } from "@/lib/client/use-resolve";
import { conflictMessage } from "@/components/approvals/conflict-message";
import { StandingOption } from "./standing-option";


const OTHER = "__other__";

/** A key press or the phone bar asking for a vote (`n` counts requests, so the same vote asked twice re-focuses). */
export interface VoteRequest {
  vote: "approve" | "reject";
  n: number;
}

interface Props {
  detail: JobDetail;
  roles: string[];
  request: VoteRequest | null;
  serverNow: number;
  onDone: (vote: "approve" | "reject", result: JobItem) => void;
}

/**
 * Approve or reject with a reason. It sends the job hash and policy snapshot the reviewer opened, so a
 * request that changed underneath them is refused instead of approved blind.
 */
export function ResolutionForm({ detail, roles, request, serverNow, onDone }: Props) {
  const item = detail.job;
  // What the reviewer saw when they opened the form: the vote is bound to it.
  const [seen] = useState(() => ({ job_hash: item.job_hash, policy_snapshot: item.policy_snapshot }));
  // Never pre-selected: the reviewer chooses (a key press or the phone bar counts as choosing).
  const [vote, setVote] = useState<"approve" | "reject" | null>(request?.vote ?? null);
  const [preset, setPreset] = useState("");
  const [custom, setCustom] = useState("");
  const [note, setNote] = useState("");
  const [standingFor, setStandingFor] = useState<string | null>(null);
  const [invalid, setInvalid] = useState<string | null>(null);
  const resolve = useResolve(item, roles);
  const now = useNow(serverNow);
  const firstRef = useRef<HTMLSelectElement>(null);
  const ids = useId();

  // A new request (key or phone bar) sets the vote while rendering; the effect only moves the focus.
  const [handled, setHandled] = useState(request);
  if (request !== handled) {
    setHandled(request);
    if (request) {
      setVote(request.vote);
      setPreset("");
    }
  }
  useEffect(() => {
    if (request) firstRef.current?.focus();
  }, [request]);

  const reason = (preset === OTHER ? custom : preset).trim();
  const changedSinceOpened = item.policy_snapshot !== seen.policy_snapshot || item.job_hash !== seen.job_hash;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!vote) {
      setInvalid("Choose Approve or Reject first.");
      return;
    }
    if (!reason) {
      setInvalid("Give a reason: pick one or write your own.");
      return;
    }
    setInvalid(null);
    resolve.mutate(
      { vote, reason, note: note.trim() || undefined, ...seen, ...(vote === "approve" && standingFor ? { standing_for: standingFor } : {}) },
      { onSuccess: (res) => onDone(vote, res) },
    );
  };

  const error = invalid ?? (resolve.isError ? conflictMessage(resolve.error, item, now) : null);
  const presets = vote ? REASON_PRESETS[vote] : [];

  return (
    <form id="decision-form" onSubmit={submit} aria-labelledby={`${ids}-title`} className="space-y-3 rounded-md border border-slate-300 bg-white p-4" noValidate>
      <h2 id={`${ids}-title`} className="text-base font-semibold">
        Your decision
      </h2>
      {changedSinceOpened && (
        <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900">
          This request was re-decided since you opened it (policy or content changed). Reload to review the current version.
        </p>
      )}
      <fieldset className="flex gap-2">
        <legend className="sr-only">Decision</legend>
        {(["approve", "reject"] as const).map((v) => (
          <label
            key={v}
            className={`flex flex-1 cursor-pointer items-center justify-center gap-2 rounded-md border px-3 py-2 text-sm font-semibold has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-blue-600 ${
              vote === v ? (v === "approve" ? "border-emerald-700 bg-emerald-700 text-white" : "border-red-700 bg-red-700 text-white") : "border-slate-300 bg-white"
            }`}
          >
            <input
              type="radio"
              name="vote"
              value={v}
              checked={vote === v}
              onChange={() => {
                setVote(v);
                setPreset("");
              }}
              className="sr-only"
            />
            {v === "approve" ? "Approve" : "Reject"}
          </label>
        ))}
      </fieldset>
      <label className="block text-sm font-medium">
        Reason <span className="text-red-700">(required)</span>
        <select
          ref={firstRef}
          value={preset}
          onChange={(e) => setPreset(e.target.value)}
          aria-invalid={invalid ? true : undefined}
          aria-describedby={error ? `${ids}-error` : undefined}
          className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-2 text-sm"
        >
          <option value="">{vote ? "Choose a reason…" : "Choose Approve or Reject first"}</option>
          {presets.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
          {vote && <option value={OTHER}>Other (write your own)</option>}
        </select>
      </label>
      {preset === OTHER && (
        <label className="block text-sm font-medium">
          Your reason
          <input value={custom} onChange={(e) => setCustom(e.target.value)} maxLength={1000} required className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-2 text-sm" autoFocus />
        </label>
      )}
      <label className="block text-sm font-medium">
        Note <span className="font-normal text-slate-500">(optional, kept with your vote)</span>
        <textarea value={note} onChange={(e) => setNote(e.target.value)} maxLength={4000} rows={2} className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1 text-sm" />
      </label>
      {vote === "approve" && <StandingOption item={item} roles={roles} value={standingFor} onChange={setStandingFor} />}
      {error && (
        <p id={`${ids}-error`} role="alert" className="rounded-md border border-red-200 bg-red-50 p-2 text-sm text-red-800">
          {error}
        </p>
      )}
      <button
        type="submit"
        disabled={resolve.isPending || changedSinceOpened || !vote}
        className={`w-full rounded-md px-4 py-2 text-sm font-semibold text-white disabled:opacity-60 ${vote === "approve" ? "bg-emerald-700 hover:bg-emerald-800" : vote === "reject" ? "bg-red-700 hover:bg-red-800" : "bg-slate-600"}`}
      >
        {resolve.isPending ? "Sending…" : vote === "approve" ? "Approve this request" : vote === "reject" ? "Reject this request" : "Choose Approve or Reject"}
      </button>
    </form>
  );
}
