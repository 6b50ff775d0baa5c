import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { requireCtx } from "@/lib/auth/viewer";
import { jobKeys } from "@/lib/client/keys";
import { makeQueryClient } from "@/lib/client/query-client";
import { jobDecisions } from "@/lib/services/jobs/decisions";
import { NotFound } from "@/lib/services/errors";
import { JobView } from "./_components/job-view";

const ID_RE = /^[A-Za-z0-9_.:-]{1,128}$/;

// One read per request, shared by the page and its title.
const load = cache(async (id: string) => {
  const ctx = await requireCtx();
  if (!ID_RE.test(id)) notFound();
  try {
    return { ctx, detail: await jobDecisions({ ctx, id }) };
  } catch (err) {
    if (err instanceof NotFound) notFound();
    throw err;
  }
});

/** The tab says what the request is: the agent's own title first, as the page's headline does. */
export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { detail } = await load((await params).id);
  return { title: detail.job.job.title?.trim() || detail.job.decision_summary.title };
}

export default async function JobPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { ctx, detail } = await load(id);
  const client = makeQueryClient();
  client.setQueryData(jobKeys.detail(id), detail);
  return (
    <HydrationBoundary state={dehydrate(client)}>
      <JobView id={id} serverNow={ctx.now.getTime()} />
    </HydrationBoundary>
  );
}
