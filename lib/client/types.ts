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
  created_at: string;
}

export interface ViewerStanding {
  can_act: boolean;
  code: string | null;
  message: string | null;
}

export interface JobDetail {
  job: JobItem;
  votes: VoteEntry[];
  viewer: ViewerStanding;
}
