"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type {
  Activation as ActivationSchema,
  ActivePolicy as ActivePolicySchema,
  PolicyTestReport as PolicyTestReportSchema,
  SnapshotList as SnapshotListSchema,
} from "@/lib/api/responses";
import type { simulatePolicy } from "@/lib/services/policy/simulate";
import { api } from "./api";
import { approvalKeys, jobKeys, policyKeys } from "./keys";

export type ActivePolicy = z.infer<typeof ActivePolicySchema>;
export type SnapshotList = z.infer<typeof SnapshotListSchema>;
export type Activation = z.infer<typeof ActivationSchema>;
export type PolicyTestReport = z.infer<typeof PolicyTestReportSchema>;
/** The simulate answer when run against the tenant's recent jobs (not one job body). */
export type Simulation = Extract<Awaited<ReturnType<typeof simulatePolicy>>, { days: number }>;

export const POLICY_PATH = "/api/v1/policy";

export function useActivePolicy() {
  return useQuery({
    queryKey: policyKeys.active(),
    queryFn: ({ signal }) => api<ActivePolicy>(POLICY_PATH, { signal }),
  });
}

export function useSnapshots() {
  return useQuery({
    queryKey: policyKeys.snapshots(),
    queryFn: ({ signal }) => api<SnapshotList>(`${POLICY_PATH}/snapshots`, { signal }),
  });
}

/**
 * Validate a candidate YAML and say what it would decide for the last `days` of jobs. The server
 * parses it exactly as PUT does, so a clean check means activation will not be refused as invalid;
 * nothing is stored.
 */
export function useSimulatePolicy() {
  return useMutation({
    mutationFn: ({ yaml, days }: { yaml: string; days: number }) =>
      api<Simulation>(`${POLICY_PATH}/simulate`, { method: "POST", json: { yaml, days } }),
  });
}

/** Run a pasted tests file against a policy YAML with the server's pure engine (nothing is stored). */
export function useTestPolicy() {
  return useMutation({
    mutationFn: (input: { policy: string; tests: string }) => api<PolicyTestReport>(`${POLICY_PATH}/test`, { method: "POST", json: input }),
  });
}

/**
 * Upload and activate a YAML (the server refuses it whole, 400 with line and column, or activates it),
 * or, given `snapshotId`, re-activate that earlier snapshot (a rollback).
 */
export function useActivatePolicy() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (target: string | { snapshotId: string }) =>
      typeof target === "string"
        ? api<Activation>(POLICY_PATH, { method: "PUT", body: target, headers: { "content-type": "application/yaml" } })
        : api<Activation>(`${POLICY_PATH}/snapshots/${encodeURIComponent(target.snapshotId)}/activate`, { method: "POST" }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: policyKeys.all });
      // Activation re-decides open jobs (pending, approved and unclaimed): state, requirements, deadlines and snapshot may move.
      void client.invalidateQueries({ queryKey: approvalKeys.all });
      void client.invalidateQueries({ queryKey: jobKeys.all });
    },
  });
}
