// From a tools/call to the job Countersign decides on (DESIGN §7.1).
import type { GatewayConfig } from "../config.js";
import type { JobInput } from "@countersign/sdk";
import { mcpTopic } from "../topics.js";
import type { ToolEntry } from "./gateway.js";

// The API refuses control characters in titles (all) and descriptions (all but tab and newline).
const clean = (s: string, keepLines: boolean) =>
  s.replace(keepLines ? /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g : /[\u0000-\u001f\u007f-\u009f]/g, " ");

/** The first `n` UTF-16 units, never ending in half a surrogate pair. */
function clip(s: string, n: number): string {
  if (s.length <= n) return s;
  const cut = s.slice(0, n);
  return /[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/**
 * Risk tags: the upstream's, the tool's own, and (only with `trust_annotations: true`) one per hint the
 * upstream set explicitly to true. A hint is the upstream's claim about itself, so by default it adds nothing.
 */
export function riskTags(entry: ToolEntry): string[] {
  const u = entry.upstream.config;
  const tags = [...u.risk_tags, ...(u.tools[entry.tool.name]?.risk_tags ?? [])];
  if (u.trust_annotations) {
    const a = entry.tool.annotations ?? {};
    if (a.readOnlyHint === true) tags.push("read");
    if (a.destructiveHint === true) tags.push("destructive");
    if (a.openWorldHint === true) tags.push("egress");
  }
  return [...new Set(tags)];
}

export function jobBody(config: GatewayConfig, entry: ToolEntry, args: Record<string, unknown>): JobInput {
  const upstream = entry.upstream.name;
  const tool = entry.tool.name;
  const body: JobInput = {
    topic: mcpTopic(upstream, tool),
    risk_tags: riskTags(entry),
    payload: { arguments: args },
    title: clip(clean(`${upstream}: ${tool}`, false), 200),
    labels: { gateway: "mcp", upstream, tool: clip(clean(tool, false), 500) },
  };
  if (typeof entry.tool.description === "string" && entry.tool.description !== "") {
    body.description = clip(clean(entry.tool.description, true), 4000);
  }
  if (config.onBehalfOf) body.on_behalf_of = config.onBehalfOf;
  return body;
}
