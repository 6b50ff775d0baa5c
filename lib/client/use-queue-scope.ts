"use client";

import { useSyncExternalStore } from "react";
import { readScope, subscribeScope, type QueueScope } from "./queue-scope";

/** The remembered queue scope; "mine" while rendering on the server (the page itself reads the cookie). */
export function useQueueScope(): QueueScope {
  return useSyncExternalStore(subscribeScope, readScope, () => "mine");
}
