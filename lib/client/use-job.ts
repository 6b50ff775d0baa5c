"use client";

import { useQuery } from "@tanstack/react-query";
import { api } from "./api";
import { approvalKeys, jobKeys, queueSearch } from "./keys";
import type { JobDetail, QueuePage } from "./types";

export function jobDetailPath(id: string): string {
  return `/api/v1/jobs/${encodeURIComponent(id)}/decisions`;
}

export function useJob(id: string) {
  return useQuery({
    queryKey: jobKeys.detail(id),
    queryFn: ({ signal }) => api<JobDetail>(jobDetailPath(id), { signal }),
  });
}

export const RECENT_LIMIT = 6;

export function recentPath(topic: string): string {
  return `/api/v1/approvals?${queueSearch({ topic }, { resolved: true, limit: RECENT_LIMIT })}`;
}

/** The last gated jobs on the same topic, with their outcomes: the reviewer's context. */
export function useRecentOnTopic(topic: string) {
  return useQuery({
    queryKey: approvalKeys.topic(topic),
    queryFn: ({ signal }) => api<QueuePage>(recentPath(topic), { signal }),
  });
}
