import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requireCtx } from "@/lib/auth/viewer";
import { jobKeys } from "@/lib/client/keys";
import { makeQueryClient } from "@/lib/client/query-client";
import { jobDecisions } from "@/lib/services/jobs/decisions";
import { NotFound } from "@/lib/services/errors";
import { JobView } from "./_components/job-view";

export const metadata: Metadata = { title: "Request" };

const ID_RE = /^[A-Za-z0-9_.:-]{1,128}$/;

export default async function JobPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await requireCtx();
  const { id } = await params;
  if (!ID_RE.test(id)) notFound();
  const client = makeQueryClient();
  try {
    const detail = await jobDecisions({ ctx, id });
    client.setQueryData(jobKeys.detail(id), detail);
  } catch (err) {
    if (err instanceof NotFound) notFound();
    throw err;
  }
  return (
    <HydrationBoundary state={dehydrate(client)}>
      <JobView id={id} serverNow={ctx.now.getTime()} />
    </HydrationBoundary>
  );
}
