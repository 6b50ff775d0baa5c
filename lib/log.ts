import "server-only";
import { randomUUID } from "node:crypto";
import pino, { type Logger } from "pino";
import { env } from "@/lib/env";

export type { Logger } from "pino";

const LEVEL_NAMES: Record<number, string> = { 10: "TRACE", 20: "DEBUG", 30: "INFO", 40: "WARN", 50: "ERROR", 60: "FATAL" };

/**
 * Development's lines, readable: `12:03:04.567 WARN  message key=value …`, an error's stack below it.
 * A few lines of our own instead of pino-pretty, which production must never need.
 */
function readable(line: string): string {
  const { level, time, msg, err, ...rest } = JSON.parse(line) as Record<string, unknown>;
  const stamp = new Date(time as number).toISOString().slice(11, 23);
  const fields = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`);
  const stack = err && typeof err === "object" ? `\n${(err as { stack?: string }).stack ?? JSON.stringify(err)}` : "";
  return `${stamp} ${(LEVEL_NAMES[level as number] ?? String(level)).padEnd(5)} ${msg ?? ""}${fields.length ? ` ${fields.join(" ")}` : ""}${stack}\n`;
}

function create(): Logger {
  const e = env();
  const options = { level: e.LOG_LEVEL, base: { app: "countersign" } };
  // Production (and anything that reads the logs) gets JSON lines; a person at a terminal, text.
  if (e.NODE_ENV === "production") return pino(options);
  return pino({ ...options, base: undefined }, { write: (line: string) => void process.stdout.write(readable(line)) });
}

// One logger per process, kept across dev-mode module reloads.
const holder = globalThis as unknown as { __countersignLog?: Logger };

/** The process's logger: JSON lines in production, readable text in development; level from LOG_LEVEL. */
export function log(): Logger {
  return (holder.__countersignLog ??= create());
}

// What a client may name its request by: printable, no spaces, not too long (it is echoed and logged).
const REQUEST_ID_RE = /^[\x21-\x7e]{1,128}$/;

/** The request's id: the caller's `x-request-id` when it is a sane one, else a new one. */
export function requestIdOf(req?: Request): string {
  const given = req?.headers.get("x-request-id");
  return given && REQUEST_ID_RE.test(given) ? given : randomUUID();
}
