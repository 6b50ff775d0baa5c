"use client";

import { useState } from "react";
import { OneTimeSecret } from "@/components/admin/one-time-secret";
import { UsersTable } from "@/components/admin/users-table";
import { useUsers, type PasswordLink } from "@/lib/client/use-admin";
import { InviteForm } from "./invite-form";
import { PersonActions } from "./person-actions";

export function PeopleClient() {
  const users = useUsers();
  // The one-time link last issued (an invitation or a reset), shown until another replaces it.
  const [link, setLink] = useState<PasswordLink | null>(null);
  const knownRoles = [...new Set((users.data?.items ?? []).flatMap((u) => u.roles))].sort();
  return (
    <section aria-labelledby="people-title" className="space-y-4">
      <div>
        <h1 id="people-title" className="text-xl font-bold">
          People
        </h1>
        <p className="text-sm text-slate-600">
          Who can sign in to this workspace and what their roles let them approve. Every change here is audited.
        </p>
      </div>
      <InviteForm knownRoles={knownRoles} onLink={setLink} />
      {link && (
        // The admin's own address for the console is the one the person will reach too (behind any proxy).
        <OneTimeSecret title={`Set-password link for ${link.email}`} value={`${window.location.origin}${link.path}`} label="set-password link">
          <p>
            Send this link to {link.email} yourself: it works once, until{" "}
            <time dateTime={link.expires_at}>{link.expires_at.slice(0, 16).replace("T", " ")} UTC</time>, and it is not shown again.
          </p>
        </OneTimeSecret>
      )}
      {users.isError && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          The list of people could not be loaded. Retrying…
        </p>
      )}
      {users.data && (
        <UsersTable
          users={users.data.items}
          caption="People in this workspace"
          actions={(u) => <PersonActions user={u} onLink={setLink} />}
        />
      )}
    </section>
  );
}
