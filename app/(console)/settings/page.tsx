import type { Metadata } from "next";
import Link from "next/link";
import { requireCtx } from "@/lib/auth/viewer";
import { env } from "@/lib/env";
import { ownChannels } from "@/lib/services/channels/settings";
import { ChannelsForm } from "./_components/channels-form";

export const metadata: Metadata = { title: "Settings" };

/** The person's own settings: where they decide besides the console (Slack, mail). */
export default async function SettingsPage() {
  const ctx = await requireCtx();
  const mine = await ownChannels({ ctx });
  return (
    <section aria-labelledby="settings-title" className="space-y-4">
      <h1 id="settings-title" className="text-xl font-bold">
        Settings
      </h1>
      <h2 className="text-base font-semibold">Deciding in Slack and by email</h2>
      <p className="max-w-prose text-sm text-slate-600">
        Link your Slack account to approve or reject from the Countersign messages in Slack. Requests you can decide are also mailed to you with a personal
        link; you can opt out of those mails.
      </p>
      <ChannelsForm slackUserId={mine.slack_user_id} emailOptOut={mine.email_opt_out} />
      {ctx.principal.scopes.has("admin") && (
        <p className="text-sm">
          <Link href="/settings/slack" className="text-blue-800 underline">
            Route work to Slack channels
          </Link>
        </p>
      )}
      {env().COUNTERSIGN_DEMO === "1" && (
        <p className="text-sm">
          <Link href="/settings/previews" className="text-blue-800 underline">
            See what Slack and mail would have received (demo)
          </Link>
        </p>
      )}
    </section>
  );
}
