"use client";

import { useSyncExternalStore } from "react";
import { connectionNow, subscribeConnection, type Connection } from "./connection";

const SERVER: Connection = { lost: false, since: null };

/** The tab's connection to its server (connection.ts), re-rendering when it is lost or found. */
export function useConnection(): Connection {
  return useSyncExternalStore(subscribeConnection, connectionNow, () => SERVER);
}
