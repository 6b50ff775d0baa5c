import type { Metadata } from "next";
import { requireCtx } from "@/lib/auth/viewer";
import { listPreviews } from "@/lib/services/channels/previews";
import { BlockKitPreview } from "./_components/block-kit-preview";

export const metadata: Metadata = { title: "Slack and mail previews" };

/** The demo's view of its channels: the Slack calls and mails it would have sent, newest first. */
export default async function PreviewsPage() {
  const ctx = await requireCtx();
  const items = await listPreviews({ ctx });
  return (
    <section aria-labelledby="previews-title" className="space-y-4">
      <h1 id="previews-title" className="text-xl font-bold">
        Slack and mail previews
      </h1>
      <p className="max-w-prose text-sm text-slate-600">
        Without a Slack workspace or a mail server, the demo keeps what it would have sent: Slack messages as Block Kit (rendered roughly, with the exact JSON), and
        the approval mails with their personal links. Set SLACK_BOT_TOKEN or SMTP_URL to send them for real.
      </p>
      {items.length === 0 && <p className="text-sm">Nothing yet: new requests arrive every few seconds.</p>}
      <ul className="space-y-4">
        {items.map((p) => {
          const body = p.body as { blocks?: unknown[]; text?: string; subject?: string; to?: string; view?: { blocks?: unknown[] } };
          return (
            <li key={p.id} className="rounded-md border border-slate-200 p-3">
              <p className="mb-2 text-xs text-slate-600">
                {p.kind === "slack" ? "Slack" : "Mail"} · {p.target} · {p.created_at}
              </p>
              {p.kind === "slack" ? (
                body.blocks ? <BlockKitPreview blocks={body.blocks as never} /> : <p className="text-sm">{body.text}</p>
              ) : (
                <div>
                  <p className="text-sm font-semibold">{body.subject}</p>
                  <pre className="mt-1 overflow-auto whitespace-pre-wrap text-xs">{body.text}</pre>
                </div>
              )}
              <details className="mt-2">
                <summary className="cursor-pointer text-xs">Exact {p.kind === "slack" ? "Block Kit JSON" : "mail"}</summary>
                <pre className="overflow-auto text-xs">{JSON.stringify(p.body, null, 2)}</pre>
              </details>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
