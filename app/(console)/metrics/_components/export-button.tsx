"use client";

import { downloadCsv, toCsv, type CsvCell } from "./csv";

/** "Export CSV" for one table: the same rows the table shows, as a file named after table and window. */
export function ExportButton({ table, window, label, header, rows }: { table: string; window: string; label: string; header: string[]; rows: CsvCell[][] }) {
  return (
    <button
      type="button"
      onClick={() => downloadCsv(`countersign-metrics-${table}-${window}.csv`, toCsv(header, rows))}
      disabled={rows.length === 0}
      aria-label={`Export CSV: ${label}`}
      className="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-50"
    >
      Export CSV
    </button>
  );
}
