import type { Metadata } from "next";
import { getDatabase } from "@/lib/db/client";
import { openMailLink } from "@/lib/services/channels/mail-vote";
import { ServiceError } from "@/lib/services/errors";
import { MailVoteForm } from "./_components/mail-vote-form";

// The token is in the path: keep it out of Referer headers, caches and search engines.
export const metadata: Metadata = { title: "Your decision", referrer: "no-referrer", robots: { index: false, follow: false } };
export const dynamic = "force-dynamic";

/** A personal mail link: the job and the form, without a password. Opening it changes nothing. */
export default async function MailLinkPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  let opened: Awaited<ReturnType<typeof openMailLink>>;
  try {
    opened = await openMailLink({ database: await getDatabase(), token, now: new Date() });
  } catch (err) {
    if (!(err instanceof ServiceError)) throw err;
    return (
      <main className="mx-auto max-w-xl px-4 py-12">
        <h1 className="mb-2 text-2xl font-bold">Link not valid</h1>
        <p role="alert" className="text-sm">{err.message}</p>
      </main>
    );
  }
  const { item, person, refusal } = opened;
  const s = item.decision_summary;
  const payload = JSON.stringify(item.job.payload, null, 2);
  return (
    <main className="mx-auto max-w-xl px-4 py-8">
      <p className="text-sm text-slate-600">For {person}</p>
      <h1 className="mb-3 text-2xl font-bold">{s.title}</h1>
      <dl className="mb-4 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="font-semibold">Why</dt>
        <dd>{s.why}</dd>
        <dt className="font-semibold">If approved</dt>
        <dd>{s.next_effect}</dd>
        <dt className="font-semibold">Topic</dt>
        <dd>{item.job.topic}</dd>
        <dt className="font-semibold">Asked by</dt>
        <dd>{item.job.requested_by}</dd>
        <dt className="font-semibold">State</dt>
        <dd>{item.job.state}</dd>
        <dt className="font-semibold">Approvals</dt>
        <dd>{item.requirements.map((r) => `${r.roles.join(" or ")}: ${r.approvals} of ${r.count}`).join("; ")}</dd>
      </dl>
      {item.job.description && <p className="mb-4 whitespace-pre-wrap text-sm">{item.job.description}</p>}
      <h2 className="mb-1 text-sm font-semibold">Payload</h2>
      <pre className="mb-6 max-h-80 overflow-auto rounded-md bg-slate-100 p-3 text-xs" tabIndex={0} aria-label="Payload">
        {payload}
      </pre>
      {refusal ? (
        <p role="alert" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm">
          {refusal}
        </p>
      ) : (
        <MailVoteForm token={token} jobHash={item.job_hash} snapshot={item.policy_snapshot} />
      )}
    </main>
  );
}
