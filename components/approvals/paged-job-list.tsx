"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef, type ReactNode } from "react";
import type { JobItem } from "@/lib/client/types";

interface Props {
  items: JobItem[];
  label: string;
  rowHeight: number;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
  renderRow: (item: JobItem) => ReactNode;
  /** The row to keep in view (keyboard selection). */
  activeIndex?: number;
  className: string;
  testId?: string;
}

/**
 * A virtualised list of jobs over cursor pages: only the visible rows are in the page (10,000 pending
 * stay smooth), fixed row heights (nothing shifts when rows arrive), the next page loads near the end.
 */
export function PagedJobList({ items, label, rowHeight, hasNextPage, isFetchingNextPage, fetchNextPage, renderRow, activeIndex, className, testId }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // The virtualizer changes in place, so nothing may memoize around it; nothing here does (the React
  // Compiler is not enabled), and the rule only says the compiler would skip this component.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: items.length + (hasNextPage ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 8,
  });
  const rows = virtualizer.getVirtualItems();
  const last = rows[rows.length - 1];

  useEffect(() => {
    const nearEnd = !last || last.index >= items.length - 10;
    if (nearEnd && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [last, items.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  useEffect(() => {
    if (activeIndex !== undefined && activeIndex >= 0) virtualizer.scrollToIndex(activeIndex, { align: "auto" });
  }, [activeIndex, virtualizer]);

  return (
    <div ref={scrollRef} className={`overflow-auto rounded-md border border-slate-200 bg-white ${className}`} data-testid={testId}>
      <div role="list" aria-label={label} style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
        {rows.map((row) => {
          const item = items[row.index];
          return (
            <div key={item?.job.id ?? "more"} style={{ position: "absolute", top: 0, left: 0, right: 0, height: rowHeight, transform: `translateY(${row.start}px)` }}>
              {item ? renderRow(item) : <div className="flex h-full items-center justify-center text-sm text-slate-500">Loading more…</div>}
            </div>
          );
        })}
      </div>
    </div>
  );
}
