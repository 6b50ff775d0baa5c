"use client";

import { useMutation, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { voteOutcome } from "@/lib/services/approvals/rules";
import { api } from "./api";
import { markDecided } from "./decided";
import { approvalKeys, jobKeys } from "./keys";
import { QUEUE_LISTS, updateQueued } from "./queue-cache";
import type { JobItem, QueuePage } from "./types";

export const VOTE_TIMEOUT_MS = 15_000;

export interface ResolveInput {
  vote: "approve" | "reject";
  reason: string;
  note?: string;
  job_hash: string;
  policy_snapshot: string;
  /** Also approve identical later requests of this agent for this long (approve only). */
  standing_for?: string;
}

/** Would this vote end the job? The server's own rule (rules.ts), on the requirements as the item shows them. */
function wouldResolve(item: JobItem, vote: ResolveInput["vote"], roles: string[]): boolean {
  return voteOutcome(item.requirements, roles, vote).decides !== null;
}

/**
 * Cast a vote. The job leaves the queue at once when the vote will decide it (or stops being
 * "yours" when it will not); any error puts the queue back exactly as it was.
 */
export function useResolve(item: JobItem, roles: string[]) {
  const client = useQueryClient();
  const id = item.job.id;
  return useMutation({
    mutationFn: ({ vote, ...body }: ResolveInput) =>
      api<JobItem & { missing: { rule_id: string; roles: string[]; needed: number }[] }>(
        `/api/v1/approvals/${encodeURIComponent(id)}/${vote}`,
        // A vote never waits forever: with no answer in 15 s the form says it was not confirmed.
        { method: "POST", json: body, signal: AbortSignal.timeout(VOTE_TIMEOUT_MS) },
      ),
    onMutate: async (input) => {
      await client.cancelQueries(QUEUE_LISTS);
      const snapshot = client.getQueriesData<InfiniteData<QueuePage>>(QUEUE_LISTS);
      const resolves = wouldResolve(item, input.vote, roles);
      updateQueued(client, id, (queued) => (resolves ? null : { ...queued, can_act: false }));
      return { snapshot };
    },
    onSuccess: (res) => {
      if (res.job.state !== "APPROVAL") markDecided(id);
    },
    onError: (_err, _input, context) => {
      for (const [key, data] of context?.snapshot ?? []) client.setQueryData(key, data);
    },
    onSettled: () => {
      void client.invalidateQueries({ queryKey: jobKeys.detail(id) });
      void client.invalidateQueries({ queryKey: approvalKeys.all });
    },
  });
}
