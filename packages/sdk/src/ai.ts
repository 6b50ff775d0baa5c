/**
 * The Vercel AI SDK adapter: a tool whose `execute` runs only once Countersign lets the call through.
 *
 *   const deploy = gatedTool(tool({ description, inputSchema, execute }), { client, topic: "job.deploy.prod", risk_tags: ["prod"] });
 *
 * Denied, rejected, expired, cancelled or still pending: `execute` throws the typed error, which the AI
 * SDK hands to the model as the tool's error result (its message names the decision, the reason and
 * the job), so the model can adapt. Calling the tool again with the same input continues the same job.
 */
import type { InferToolInput, Tool } from "ai";
import type { Countersign } from "./client.js";
import type { JobInput } from "./types.js";

type Execute = NonNullable<Tool["execute"]>;
type ExecutionOptions = Parameters<Execute>[1];
type InputOf<T extends Tool> = InferToolInput<T>;

export interface GatedToolOptions<INPUT> {
  client: Countersign;
  topic: string;
  risk_tags?: string[];
  /** The job's payload for a call (default: the input itself when it is an object, else `{ input }`). */
  payload?: (input: INPUT) => Record<string, unknown>;
  /** The title reviewers see (default: the topic). */
  title?: string | ((input: INPUT) => string);
  /** What reviewers read (default: the tool's description, first 4000 characters). */
  description?: string;
  labels?: Record<string, string>;
  /** The person this agent acts for (who then may not approve the call). */
  on_behalf_of?: string;
  /** How long one call waits for people before it answers "pending" (default 50 s). */
  timeoutMs?: number;
  /** Continue the latest job with the same input instead of submitting a new one (default true). */
  resume?: boolean;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function isAsyncIterable(v: unknown): v is AsyncIterable<unknown> {
  return typeof v === "object" && v !== null && Symbol.asyncIterator in v;
}

/** The tool, with `execute` gated: it runs only when allowed or approved, and its outcome is reported. */
export function gatedTool<T extends Tool>(tool: T, options: GatedToolOptions<InputOf<T>>): T {
  const execute = tool.execute as Execute | undefined;
  if (typeof execute !== "function") throw new TypeError("gatedTool needs a tool with an execute function");
  const { client, topic } = options;

  const jobFor = (input: InputOf<T>): JobInput => {
    const title = typeof options.title === "function" ? options.title(input) : options.title;
    const description = options.description ?? tool.description;
    return {
      topic,
      risk_tags: options.risk_tags ?? [],
      payload: options.payload ? options.payload(input) : isRecord(input) ? input : { input },
      ...(title ? { title } : {}),
      ...(description ? { description: description.slice(0, 4000) } : {}),
      ...(options.labels ? { labels: options.labels } : {}),
      ...(options.on_behalf_of ? { on_behalf_of: options.on_behalf_of } : {}),
    };
  };

  const gated = async (input: InputOf<T>, execution: ExecutionOptions): Promise<unknown> =>
    client.gate(
      jobFor(input),
      async () => {
        const out = await execute(input, execution);
        // A streaming tool's last value is its result; the gate reports the outcome once it has it.
        if (!isAsyncIterable(out)) return out;
        let last: unknown;
        for await (const value of out) last = value;
        return last;
      },
      {
        timeoutMs: options.timeoutMs ?? 50_000,
        resume: options.resume ?? true,
        ...(execution?.abortSignal ? { signal: execution.abortSignal } : {}),
      },
    );

  return { ...tool, execute: gated } as T;
}
