import type { JobItem } from "@/lib/services/jobs/schemas";

export type { JobItem };

export interface QueuePage {
  items: JobItem[];
  next_cursor: string | null;
}

export interface VoteEntry {
  voter: string;
  vote: "approve" | "reject";
  roles: string[];
  reason: string;
  note: string | null;
  credential: string | null;
  created_at: string;
}

export interface ViewerStanding {
  can_act: boolean;
  code: string | null;
  message: string | null;
}

export interface DecisionEntry {
  cause: "submit" | "policy_change" | "standing_approval";
  policy_snapshot: string;
  decision: string;
  rule_id: string;
  reason: string;
  created_at: string;
}

export interface JobDetail {
  job: JobItem;
  decisions: DecisionEntry[];
  votes: VoteEntry[];
  viewer: ViewerStanding;
  deadline: { on_timeout: "escalate" | "reject" | null; escalate_to: string[] };
  execution: { claimed_by: string | null; claimed_at: string; completed_at: string | null; outcome: "succeeded" | "failed" | null; detail: string | null } | null;
}
