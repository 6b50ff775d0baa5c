// tools/call through the gate: a job per call, the upstream called only with a grant, exactly the job's
// arguments forwarded, the upstream's answer returned unchanged, the outcome reported after it.
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import {
  ErrorCode,
  McpError,
  type CallToolRequest,
  type CallToolResult,
  type ServerNotification,
  type ServerRequest,
} from "@modelcontextprotocol/sdk/types.js";
import type { Countersign, ExecutionGrant, JobItem } from "@countersign/sdk";
import type { Completions } from "../completions.js";
import { decide, type Recall } from "../gate.js";
import { consoleLink, stillNeeded, verdictText } from "../messages.js";
import type { Gateway, ToolEntry } from "./gateway.js";
import { jobBody } from "./job.js";
import { Loose } from "./upstream.js";

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;
export interface CallDeps {
  gateway: Gateway;
  cs: Countersign;
  completions: Completions;
  memory: Recall;
}

/** No limit of our own on an upstream call without `max_runtime_sec`: the client cancels when it wants. */
const NO_LIMIT_MS = 24 * 60 * 60 * 1000;
const PROGRESS_EVERY_MS = 5_000;

const errorResult = (text: string): CallToolResult => ({ content: [{ type: "text", text }], isError: true });

/** MCP progress notifications for one call: while it waits for people, then relaying the upstream's. */
class Progress {
  private last = 0;
  private timer?: NodeJS.Timeout;
  constructor(private readonly extra: Extra, private readonly token: string | number) {}

  send(progress: number, total?: number, message?: string): void {
    // Progress must increase within a call; the upstream's own count starts again at zero.
    this.last = Math.max(progress, this.last + 1e-3);
    const params = { progressToken: this.token, progress: this.last, ...(total !== undefined ? { total } : {}), ...(message ? { message } : {}) };
    this.extra.sendNotification({ method: "notifications/progress", params }).catch(() => undefined);
  }

  holding(item: JobItem, holdMs: number): void {
    const started = Date.now();
    const tick = () =>
      this.send((Date.now() - started) / 1000, holdMs / 1000, `waiting for approval of job ${item.job.id}: ${stillNeeded(item)}`);
    tick();
    this.timer = setInterval(tick, PROGRESS_EVERY_MS);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  relay(p: { progress: number; total?: number; message?: string }): void {
    const base = this.last;
    this.send(base + p.progress, p.total !== undefined ? base + p.total : undefined, p.message);
  }
}

export async function callTool(deps: CallDeps, request: CallToolRequest, extra: Extra): Promise<CallToolResult> {
  const { gateway } = deps;
  const { holdMs, consoleUrl } = gateway.config;
  const entry = gateway.findTool(request.params.name);
  // What the MCP SDK's own server answers for a tool it does not have; no job is made.
  if (!entry) throw new McpError(ErrorCode.InvalidParams, `Tool ${request.params.name} not found`);
  if (!entry.upstream.connected) {
    return errorResult(`Countersign gateway: the upstream ${entry.upstream.name} is not connected, so the call was not made (no job).`);
  }
  const token = extra._meta?.progressToken;
  const progress = token !== undefined ? new Progress(extra, token) : null;
  const verdict = await decide(deps.cs, jobBody(gateway.config, entry, request.params.arguments ?? {}), {
    holdMs,
    memory: deps.memory,
    signal: extra.signal,
    onHold: (item) => progress?.holding(item, holdMs),
  }).finally(() => progress?.stop());
  if (verdict.kind !== "run") return errorResult(verdictText(verdict, consoleUrl, holdMs));
  return forward(deps, entry, verdict.item, verdict.grant, extra, progress);
}

async function forward(deps: CallDeps, entry: ToolEntry, item: JobItem, grant: ExecutionGrant, extra: Extra, progress: Progress | null): Promise<CallToolResult> {
  const id = item.job.id;
  // Kept on disk now, sent once the answer is on its way: the report never delays the result.
  const report = (outcome: "succeeded" | "failed", detail?: string) => void deps.completions.finish(id, outcome, detail);
  deps.completions.begin(id);
  const limitSec = grant.constraints?.max_runtime_sec;
  const abort = new AbortController();
  let overran = false;
  const timer =
    limitSec !== undefined
      ? setTimeout(() => {
          overran = true;
          abort.abort(`max_runtime_sec ${limitSec} exceeded`);
        }, limitSec * 1000)
      : undefined;
  const onCancel = () => abort.abort(extra.signal.reason ?? "cancelled by the client");
  extra.signal.addEventListener("abort", onCancel, { once: true });
  try {
    // Exactly the job's arguments: what the reviewers saw and what the grant is bound to.
    const result = (await entry.upstream.client.request(
      { method: "tools/call", params: { name: entry.tool.name, arguments: item.job.payload.arguments as Record<string, unknown> } },
      Loose,
      { signal: abort.signal, timeout: NO_LIMIT_MS, onprogress: progress ? (p) => progress.relay(p) : undefined },
    )) as CallToolResult;
    report(result.isError === true ? "failed" : "succeeded", result.isError === true ? firstText(result) : undefined);
    return result;
  } catch (err) {
    if (overran) {
      report("failed", `cancelled: ran longer than max_runtime_sec ${limitSec}`);
      return errorResult(
        [
          `Countersign: the call ran longer than its limit (max_runtime_sec: ${limitSec}, set by policy), so it was cancelled and job ${id} is marked failed.`,
          `Job: ${id}`,
          `Console: ${consoleLink(deps.gateway.config.consoleUrl, id)}`,
        ].join("\n"),
      );
    }
    const message = err instanceof Error ? err.message : String(err);
    report("failed", extra.signal.aborted ? "cancelled by the client" : `upstream error: ${message}`);
    // The upstream's own JSON-RPC error goes back as it came (code, message, data); a lost connection or
    // our own timeout is not the upstream's answer.
    if (err instanceof McpError && err.code !== ErrorCode.ConnectionClosed && err.code !== ErrorCode.RequestTimeout) {
      throw Object.assign(new Error(message.replace(/^MCP error -?\d+: /, "")), { code: err.code, data: err.data });
    }
    return errorResult(`Countersign gateway: the upstream ${entry.upstream.name} failed: ${message}. Job ${id} is marked failed.`);
  } finally {
    clearTimeout(timer);
    extra.signal.removeEventListener("abort", onCancel);
  }
}

function firstText(result: CallToolResult): string | undefined {
  const text = result.content?.find((c) => c.type === "text");
  return text && "text" in text ? String(text.text).slice(0, 1000) : undefined;
}
