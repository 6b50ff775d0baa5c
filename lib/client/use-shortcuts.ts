"use client";

import { useEffect, useRef } from "react";

/** Single-key shortcuts, ignored while the user types in a field or holds a modifier. */
export function useShortcuts(map: Record<string, (e: KeyboardEvent) => void>): void {
  const ref = useRef(map);
  useEffect(() => {
    ref.current = map;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName))) return;
      // A dialog's keys are its own (Esc closes it, digits pick a reason).
      if (t?.closest("dialog,[role=dialog]")) return;
      const handler = ref.current[e.key];
      if (handler) {
        e.preventDefault();
        handler(e);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
