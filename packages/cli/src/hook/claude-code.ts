// `countersign hook claude-code [--post] [--hold 50s]` (DESIGN §7.2): a Claude Code command hook.
// PreToolUse: a job per tool call, held while people decide, "allow" only once claimed. PostToolUse
// (and PostToolUseFailure) with --post: the claimed job completes with the tool's outcome.
// Whatever happens, the hook exits 0 with the documented JSON on stdout; in doubt it denies.
import { parseArgs } from "node:util";
import { Countersign, type JobInput } from "@countersign/sdk";
import { Completions, defaultStateDir, type Outcome } from "../completions.js";
import type { Env } from "../config.js";
import { DEFAULT_HOLD_MS, parseDuration } from "../duration.js";
import { decide } from "../gate.js";
import { consoleLink, verdictText } from "../messages.js";
import { claudeTopic } from "../topics.js";

export interface HookInput {
  session_id?: string;
  cwd?: string;
  hook_event_name?: string;
  tool_name?: string;
  tool_input?: unknown;
  tool_response?: unknown;
  error?: unknown;
  is_interrupt?: boolean;
}

export const preOutput = (decision: "allow" | "deny", reason: string) => ({
  hookSpecificOutput: { hookEventName: "PreToolUse", permissionDecision: decision, permissionDecisionReason: reason },
});

export function jobFor(input: HookInput): JobInput {
  const tool = String(input.tool_name ?? "");
  return {
    topic: claudeTopic(tool),
    risk_tags: [],
    payload: { tool_input: input.tool_input ?? {}, cwd: input.cwd ?? "" },
    title: `Claude Code: ${tool}`.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ").slice(0, 200),
    labels: { session_id: String(input.session_id ?? "") },
  };
}

/** A tool's outcome from the PostToolUse input: failed when Claude Code or the tool says so. */
export function outcomeOf(input: HookInput): { outcome: Outcome; detail?: string } {
  if (input.hook_event_name === "PostToolUseFailure") {
    return { outcome: "failed", detail: input.is_interrupt ? "interrupted" : String(input.error ?? "the tool failed").slice(0, 1000) };
  }
  const r = input.tool_response;
  if (r && typeof r === "object") {
    const o = r as Record<string, unknown>;
    if (o.success === false || o.isError === true || o.is_error === true || o.interrupted === true) {
      return { outcome: "failed", detail: String(o.error ?? o.stderr ?? "the tool reported a failure").slice(0, 1000) };
    }
  }
  return { outcome: "succeeded" };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function client(env: Env): { cs: Countersign; url: string } | string {
  const url = env.COUNTERSIGN_URL?.replace(/\/+$/, "");
  const token = env.COUNTERSIGN_TOKEN;
  if (!url || !token) return "COUNTERSIGN_URL and COUNTERSIGN_TOKEN must be set for the countersign hook";
  return { cs: new Countersign({ baseUrl: url, token }), url };
}

async function pre(input: HookInput, holdMs: number, env: Env) {
  const c = client(env);
  if (typeof c === "string") return preOutput("deny", `Countersign: ${c}; the call was not made (fail closed).`);
  const consoleUrl = (env.COUNTERSIGN_CONSOLE_URL || c.url).replace(/\/+$/, "");
  const job = jobFor(input);
  if (env.COUNTERSIGN_ON_BEHALF_OF) job.on_behalf_of = env.COUNTERSIGN_ON_BEHALF_OF;
  const v = await decide(c.cs, job, { holdMs });
  if (v.kind === "run") return preOutput("allow", `Countersign: allowed (job ${v.item.job.id}, ${consoleLink(consoleUrl, v.item.job.id)})`);
  return preOutput("deny", verdictText(v, consoleUrl, holdMs, "make the same call again to continue"));
}

async function post(input: HookInput, env: Env): Promise<Record<string, unknown>> {
  const c = client(env);
  if (typeof c === "string") return { systemMessage: `countersign: ${c}` };
  const job = jobFor(input);
  const hash = await c.cs.jobHash(job);
  // The job PreToolUse claimed: this agent's, same action, still RUNNING.
  const items = await c.cs.findJobs({ topic: job.topic, job_hash: hash, limit: 20 });
  const running = items.find((i) => i.job.state === "RUNNING" && i.job_hash === hash);
  const completions = new Completions(c.cs, c.url, { stateDir: defaultStateDir(env), log: () => undefined });
  completions.recover();
  if (running) {
    const { outcome, detail } = outcomeOf(input);
    void completions.finish(running.job.id, outcome, detail);
  }
  // Not forever: what is still unsent stays in the state directory for the next run.
  await completions.idle(10_000);
  completions.close();
  if (!running) return { systemMessage: `countersign: no running job for this ${input.tool_name} call to complete` };
  return completions.pending > 0 ? { systemMessage: `countersign: the outcome of job ${running.job.id} is not reported yet; it will be` } : {};
}

const MAX_HOOK_HOLD_MS = 590_000;
export const HOOK_USAGE = "usage: countersign hook claude-code [--post] [--hold 50s]";

export async function runHook(argv: string[], env: Env = process.env): Promise<number> {
  let isPost = argv.includes("--post");
  let out: Record<string, unknown>;
  try {
    const { values, positionals } = parseArgs({ args: argv, options: { post: { type: "boolean" }, hold: { type: "string" } }, allowPositionals: true });
    isPost = values.post === true;
    if (positionals[0] !== "claude-code") throw new Error(HOOK_USAGE);
    const holdMs = values.hold === undefined ? DEFAULT_HOLD_MS : parseDuration(values.hold);
    // Claude Code ends a command hook after its `timeout` (600 s unless set): answer before that.
    if (holdMs === null || holdMs > MAX_HOOK_HOLD_MS) throw new Error(`--hold: a duration up to 590s, such as 50s, not ${values.hold}`);
    const input = JSON.parse(await readStdin()) as HookInput;
    if (typeof input !== "object" || input === null || typeof input.tool_name !== "string" || input.tool_name === "") {
      throw new Error("the hook input on stdin names no tool_name (is this a Claude Code PreToolUse/PostToolUse hook?)");
    }
    out = isPost ? await post(input, env) : await pre(input, holdMs, env);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    out = isPost ? { systemMessage: `countersign: ${msg}` } : preOutput("deny", `Countersign: ${msg}; the call was not made (fail closed).`);
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
  return 0;
}
