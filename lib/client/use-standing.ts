"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type { StandingList as StandingListSchema } from "@/lib/api/responses-standing";
import { api } from "./api";

export type StandingList = z.infer<typeof StandingListSchema>;
export type StandingApproval = StandingList["items"][number];

export const standingKeys = { all: ["standing"] as const };
const PATH = "/api/v1/approvals/standing";

/** The tenant's live standing approvals. */
export function useStandingApprovals() {
  return useQuery({ queryKey: standingKeys.all, queryFn: ({ signal }) => api<StandingList>(PATH, { signal }) });
}

/** Revoke one (its granter or an admin); the list is read again either way. */
export function useRevokeStanding() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<StandingApproval>(`${PATH}/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSettled: () => void client.invalidateQueries({ queryKey: standingKeys.all }),
  });
}
