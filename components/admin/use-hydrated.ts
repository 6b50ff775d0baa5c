"use client";

import { useSyncExternalStore } from "react";

const noSubscribe = () => () => {};

/**
 * False in the server render and until React has hydrated. A form whose submit is handled in the
 * browser keeps its button disabled until then, so an early click cannot fall back to a native GET
 * that reloads the page with the fields in the URL.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(noSubscribe, () => true, () => false);
}
