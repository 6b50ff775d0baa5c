"use client";

import { ApiError } from "@/lib/client/api";

type Issue = NonNullable<ApiError["errors"]>[number];

/** Why the server refused the YAML: each problem at its line and column, or the problem's detail. */
export function PolicyErrors({ error, onJump }: { error: Error; onJump: (line: number, column: number) => void }) {
  const issues: Issue[] = error instanceof ApiError ? (error.errors ?? []) : [];
  const located = issues.filter((i) => i.line !== undefined);
  if (located.length === 0) {
    return (
      <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
        <p className="font-semibold">{headline(error)}</p>
        <p>{error.message}</p>
        {issues.length > 0 && (
          <ul className="mt-1 list-disc pl-5">
            {issues.map((i, n) => (
              <li key={n}>{i.path ? `${i.path}: ${i.message}` : i.message}</li>
            ))}
          </ul>
        )}
      </div>
    );
  }
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800" data-testid="policy-errors">
      <p className="font-semibold">
        The policy did not validate: {located.length} problem{located.length === 1 ? "" : "s"}. The active policy is unchanged.
      </p>
      <ul className="mt-1 space-y-1">
        {located.map((i, n) => (
          <li key={n}>
            {/* A button, so keyboard users can jump to the spot in the editor as well. */}
            <button
              type="button"
              onClick={() => onJump(i.line ?? 1, i.column ?? 1)}
              className="text-left underline decoration-red-300 underline-offset-2 hover:decoration-red-800"
            >
              line {i.line}, column {i.column ?? 1}: {i.message}
            </button>
            {i.path && <span className="font-mono text-xs text-red-700"> ({i.path})</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}

function headline(error: Error): string {
  if (!(error instanceof ApiError)) return "The request did not reach the server.";
  if (error.status === 403) return "Not allowed.";
  if (error.status === 413) return "The policy is too large (256 KiB at most).";
  if (error.status === 415) return "The server refused the content type.";
  return "The policy was not accepted.";
}
