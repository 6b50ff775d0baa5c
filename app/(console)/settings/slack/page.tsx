import type { Metadata } from "next";
import { requireCtx } from "@/lib/auth/viewer";
import { listTargets } from "@/lib/services/outbox/targets";
import { removeTargetAction } from "./actions";
import { AddTargetForm } from "./_components/add-target-form";

export const metadata: Metadata = { title: "Slack channels" };

/** Admins route roles to Slack channels (the console side of POST /admin/notification-targets). */
export default async function SlackTargetsPage() {
  const ctx = await requireCtx();
  if (!ctx.principal.scopes.has("admin")) {
    return <p role="alert">Only an admin routes work to Slack channels.</p>;
  }
  const { items } = await listTargets({ ctx });
  const slack = items.filter((t) => t.kind === "slack");
  return (
    <section aria-labelledby="slack-title" className="space-y-4">
      <h1 id="slack-title" className="text-xl font-bold">
        Slack channels
      </h1>
      <p className="max-w-prose text-sm text-slate-600">Pending work routed to these roles is posted to the channel with Approve, Reject and Open buttons.</p>
      {slack.length === 0 ? (
        <p className="text-sm">No Slack channel yet.</p>
      ) : (
        <ul aria-label="Slack channels" className="divide-y divide-slate-200 rounded-md border border-slate-200">
          {slack.map((t) => (
            <li key={t.id} className="flex flex-wrap items-center gap-3 px-3 py-2 text-sm">
              <span className="font-mono">{t.channel}</span>
              <span className="text-slate-600">{t.roles.length ? t.roles.join(", ") : "all roles"}</span>
              <span className="text-slate-500">{t.events.join(", ")}</span>
              <form action={removeTargetAction} className="ml-auto">
                <input type="hidden" name="id" value={t.id} />
                <button type="submit" className="rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-100" aria-label={`Remove ${t.channel}`}>
                  Remove
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <AddTargetForm />
    </section>
  );
}
