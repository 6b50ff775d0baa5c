"use client";

import { useSyncExternalStore } from "react";
import { localTime } from "@/components/approvals/format";

const noSubscribe = () => () => {};

/**
 * A timestamp in the reader's own time zone. The server cannot know that zone, so the server render
 * (and hydration) shows UTC and the browser switches to local time right after, without a mismatch.
 */
export function LocalTime({ iso }: { iso: string }) {
  const inBrowser = useSyncExternalStore(noSubscribe, () => true, () => false);
  return (
    <time dateTime={iso} title={iso}>
      {inBrowser ? localTime(iso) : `${iso.slice(0, 16).replace("T", " ")} UTC`}
    </time>
  );
}
