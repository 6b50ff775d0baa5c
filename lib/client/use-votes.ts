"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "./api";
import { markDecided } from "./decided";
import { approvalKeys, jobKeys } from "./keys";
import { updateQueued } from "./queue-cache";
import type { JobItem } from "./types";
import { VOTE_TIMEOUT_MS } from "./use-resolve";

export type VoteKind = "approve" | "reject";

/** One job's vote in a batch: counted (with the state it left the job in) or refused (with the error). */
export type VoteResult = { item: JobItem; ok: true; state: string } | { item: JobItem; ok: false; error: unknown };

/**
 * Votes on several jobs with one reason, one request per job through the ordinary vote route, so each is
 * checked and audited exactly as if cast alone (bound to the hash and snapshot the reviewer saw), and
 * each answer is kept: the caller lists what counted and what was refused, and why.
 */
export function useVotes() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ items, vote, reason }: { items: JobItem[]; vote: VoteKind; reason: string }): Promise<VoteResult[]> => {
      const results: VoteResult[] = [];
      for (const item of items) {
        const id = item.job.id;
        try {
          const res = await api<JobItem>(`/api/v1/approvals/${encodeURIComponent(id)}/${vote}`, {
            method: "POST",
            json: { reason, job_hash: item.job_hash, policy_snapshot: item.policy_snapshot },
            signal: AbortSignal.timeout(VOTE_TIMEOUT_MS),
          });
          if (res.job.state !== "APPROVAL") markDecided(id);
          // Decided: it leaves the queue now; still pending: it is no longer the reviewer's to act on.
          updateQueued(client, id, (q) => (res.job.state !== "APPROVAL" ? null : { ...q, can_act: false }));
          results.push({ item, ok: true, state: res.job.state });
        } catch (error) {
          results.push({ item, ok: false, error });
        }
      }
      return results;
    },
    onSettled: (_res, _err, input) => {
      void client.invalidateQueries({ queryKey: approvalKeys.all });
      for (const item of input.items) void client.invalidateQueries({ queryKey: jobKeys.detail(item.job.id) });
    },
  });
}
