import { Environment } from "@marcbachmann/cel-js";

// `match.when` (DESIGN §2.1): a CEL expression over what a job carries. The library is
// @marcbachmann/cel-js: its type checker is public (env.check), it has no dependencies, and an
// evaluation takes well under a microsecond. Payload numbers are JSON numbers, so CEL doubles (as
// cel-go reads google.protobuf.Value); `payload.amount > 1000` compares across numeric types.

export const WHEN_MAX_LENGTH = 2000;

const env = new Environment({
  // An author's expression, checked at upload: bounded so a policy cannot make the parser or the
  // submission path do unbounded work.
  limits: { maxAstNodes: 500, maxDepth: 32, maxListElements: 100, maxMapEntries: 100, maxCallArguments: 8 },
})
  .registerVariable("topic", "string")
  .registerVariable("risk_tags", "list<string>")
  .registerVariable("payload", "map<string, dyn>")
  .registerVariable("labels", "map<string, string>")
  .registerVariable("requested_by", "string")
  .registerVariable("on_behalf_of", "string");

/** What a condition sees of a job. `on_behalf_of` is left out when the job has none. */
export interface WhenVars {
  topic: string;
  risk_tags: readonly string[];
  payload: Record<string, unknown>;
  labels: Record<string, string>;
  requested_by: string;
  on_behalf_of?: string;
}

export type WhenProblem = { message: string; offset: number };

interface CelError {
  summary?: string;
  message: string;
  code?: string;
  range?: { start: number };
}

function describe(err: unknown): CelError {
  if (err instanceof Error) return err as CelError;
  return { message: String(err) };
}

/** Parses and type-checks a condition; null when it is a valid boolean expression. */
export function checkWhen(expression: string): WhenProblem | null {
  let result: ReturnType<typeof env.check>;
  try {
    result = env.check(expression);
  } catch (err) {
    const e = describe(err);
    return { message: `CEL: ${e.summary ?? e.message}`, offset: e.range?.start ?? 0 };
  }
  if (!result.valid) {
    const e = describe(result.error);
    const kind = e.code === "parse_error" || (result.error as Error | undefined)?.name === "ParseError" ? "syntax error" : "type error";
    return { message: `CEL ${kind}: ${e.summary ?? e.message}`, offset: e.range?.start ?? 0 };
  }
  if (result.type !== "bool" && result.type !== "dyn") {
    return { message: `CEL type error: the condition must be a bool, not ${result.type}`, offset: 0 };
  }
  return null;
}

/** true / false, or the error an evaluation met (never thrown). */
export type WhenResult = boolean | { error: string };
export type CompiledWhen = (vars: WhenVars) => WhenResult;

// A field the job does not have (a payload key, a label, on_behalf_of, a list index): the condition
// is false, as DESIGN §2.1 says. Every other error is reported to the caller.
const MISSING = new Set(["no_such_key", "unknown_variable", "index_out_of_bounds"]);

/** Compiles a condition that checkWhen accepted. */
export function compileWhen(expression: string): CompiledWhen {
  const program = env.parse(expression);
  return (vars) => {
    try {
      const value: unknown = program(vars as unknown as Record<string, unknown>);
      if (typeof value === "boolean") return value;
      return { error: `the condition gave ${typeof value === "bigint" ? "an int" : typeof value}, not a bool` };
    } catch (err) {
      const e = describe(err);
      if (e.code !== undefined && MISSING.has(e.code)) return false;
      return { error: e.summary ?? e.message };
    }
  };
}
