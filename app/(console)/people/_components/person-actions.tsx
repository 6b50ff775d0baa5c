"use client";

import { useState, type FormEvent } from "react";
import { useViewer } from "@/app/(console)/_components/viewer-context";
import { usePasswordLink, useUpdateUser, type ListedUser, type PasswordLink } from "@/lib/client/use-admin";
import { parseRoles, problemText } from "@/components/admin/problem-text";

const button = "rounded-md border border-slate-300 bg-white px-2 py-1 text-xs font-medium hover:bg-slate-100 disabled:opacity-60";
const danger = "rounded-md bg-red-700 px-2 py-1 text-xs font-semibold text-white hover:bg-red-800 disabled:opacity-60";

type Mode = "idle" | "roles" | "disable";

/** A person's row controls: change roles, disable or enable, and a fresh set-password link. */
export function PersonActions({ user, onLink }: { user: ListedUser; onLink: (link: PasswordLink) => void }) {
  const viewer = useViewer();
  const update = useUpdateUser();
  const link = usePasswordLink();
  const [mode, setMode] = useState<Mode>("idle");
  const [error, setError] = useState<string | null>(null);
  const self = user.id === viewer.userId;
  const fail = (err: unknown) => setError(problemText(err));
  const done = () => {
    setMode("idle");
    setError(null);
  };

  const saveRoles = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const roles = parseRoles(String(new FormData(e.currentTarget).get("roles") ?? ""));
    update.mutate({ id: user.id, change: { roles } }, { onSuccess: done, onError: fail });
  };

  return (
    <div className="min-w-48 space-y-2">
      {mode === "roles" ? (
        <form onSubmit={saveRoles} className="space-y-1">
          <label className="block text-xs font-medium">
            Roles of {user.email}
            <input
              name="roles"
              list="known-roles"
              defaultValue={user.roles.join(", ")}
              autoFocus
              className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1 text-sm"
            />
          </label>
          <p className="text-xs text-slate-600">Saving signs {self ? "you" : "them"} out of the console; votes already cast keep counting.</p>
          <div className="flex gap-2">
            <button type="submit" disabled={update.isPending} className={button}>
              Save roles
            </button>
            <button type="button" onClick={done} className={button}>
              Cancel
            </button>
          </div>
        </form>
      ) : mode === "disable" ? (
        <div role="group" aria-label={`Disable ${user.email}`} className="space-y-1">
          <p className="text-xs">Disable {user.email}? They are signed out at once, and their tokens stop working.</p>
          <div className="flex gap-2">
            <button type="button" disabled={update.isPending} onClick={() => update.mutate({ id: user.id, change: { disabled: true } }, { onSuccess: done, onError: fail })} className={danger}>
              Disable {user.email}
            </button>
            <button type="button" onClick={done} className={button}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <div className="flex flex-wrap gap-2">
          <button type="button" aria-label={`Change roles of ${user.email}`} onClick={() => setMode("roles")} className={button}>
            Change roles
          </button>
          {user.disabled ? (
            <button
              type="button"
              aria-label={`Enable ${user.email}`}
              disabled={update.isPending}
              onClick={() => update.mutate({ id: user.id, change: { disabled: false } }, { onSuccess: done, onError: fail })}
              className={button}
            >
              Enable
            </button>
          ) : (
            !self && (
              <button type="button" aria-label={`Disable ${user.email}`} onClick={() => setMode("disable")} className={button}>
                Disable
              </button>
            )
          )}
          {!user.disabled && (
            <button
              type="button"
              aria-label={`Set-password link for ${user.email}`}
              disabled={link.isPending}
              onClick={() => link.mutate(user.id, { onSuccess: (l) => (done(), onLink(l)), onError: fail })}
              className={button}
            >
              Set-password link
            </button>
          )}
        </div>
      )}
      {error && (
        <p role="alert" className="text-xs text-red-800">
          {error}
        </p>
      )}
    </div>
  );
}
