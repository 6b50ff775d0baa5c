// The gateway's config file (DESIGN §7.1): YAML, validated whole at start; every error names its line
// and column, so a bad file is refused before any client is served.
import { readFileSync } from "node:fs";
import { isMap, isNode, isPair, isScalar, LineCounter, parseDocument, type Document } from "yaml";
import { z } from "zod";
import { DEFAULT_HOLD_MS, MAX_HOLD_MS, parseDuration } from "./duration.js";

/** The process environment, or a stand-in for it. */
export type Env = Record<string, string | undefined>;

const NAME_RE = /^[a-z0-9_-]+$/;
const Tag = z.string().min(1).max(64).regex(NAME_RE, "lowercase a-z 0-9 _ -");
const HttpUrl = z.url({ protocol: /^https?$/, error: "an http or https URL" });

const ToolOverride = z.strictObject({ risk_tags: z.array(Tag).max(32).default([]) });

const Upstream = z
  .strictObject({
    name: z.string().max(64).regex(NAME_RE, "lowercase a-z 0-9 _ -"),
    command: z.union([z.string().min(1), z.array(z.string()).min(1)]).optional(),
    args: z.array(z.string()).optional(),
    env: z.record(z.string(), z.string()).optional(),
    url: HttpUrl.optional(),
    headers: z.record(z.string(), z.string()).optional(),
    risk_tags: z.array(Tag).max(32).default([]),
    trust_annotations: z.boolean().default(false),
    tools: z.record(z.string(), ToolOverride).default({}),
    hide: z.array(z.string()).default([]),
  })
  .superRefine((u, ctx) => {
    if (u.command === undefined && u.url === undefined)
      ctx.addIssue({ code: "custom", path: ["name"], message: "an upstream needs `command` (stdio) or `url` (streamable HTTP)" });
    if (u.command !== undefined && u.url !== undefined)
      ctx.addIssue({ code: "custom", path: ["url"], message: "an upstream has `command` or `url`, not both" });
    if (u.url !== undefined && (u.args || u.env))
      ctx.addIssue({ code: "custom", path: [u.args ? "args" : "env"], message: "`args` and `env` belong to a stdio upstream (`command`)" });
    if (u.command !== undefined && u.headers)
      ctx.addIssue({ code: "custom", path: ["headers"], message: "`headers` belong to a streamable HTTP upstream (`url`)" });
    if (Array.isArray(u.command) && u.args)
      ctx.addIssue({ code: "custom", path: ["args"], message: "with `command` as a list, put the arguments in the list" });
  });

const Hold = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const ms = parseDuration(v);
  if (ms === null) {
    ctx.addIssue({ code: "custom", message: "a duration such as 50s or 1m" });
    return z.NEVER;
  }
  if (ms > MAX_HOLD_MS) {
    ctx.addIssue({ code: "custom", message: `at most 55s (one long poll, inside an MCP client's request timeout)` });
    return z.NEVER;
  }
  return ms;
});

const ConfigSchema = z
  .strictObject({
    countersign: z.strictObject({
      url: HttpUrl,
      token_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name").default("COUNTERSIGN_TOKEN"),
      console_url: HttpUrl.optional(),
    }),
    hold: Hold.default(DEFAULT_HOLD_MS),
    on_behalf_of: z.email().optional(),
    console_url: HttpUrl.optional(),
    upstreams: z.array(Upstream).min(1, "at least one upstream"),
  })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.upstreams.forEach((u, i) => {
      if (seen.has(u.name)) ctx.addIssue({ code: "custom", path: ["upstreams", i, "name"], message: `a second upstream named ${u.name}` });
      seen.add(u.name);
    });
  });

export type UpstreamConfig = z.output<typeof Upstream> & { where: string };
export interface GatewayConfig {
  url: string;
  consoleUrl: string;
  token: string;
  holdMs: number;
  onBehalfOf?: string;
  upstreams: UpstreamConfig[];
}

/** A config refused: each line reads `file:line:col: path: message`. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
  }
}

type Path = (string | number)[];

/** Line and column of the node at `path` (of the key itself when `key` is given), else of its nearest ancestor. */
function locate(doc: Document, lines: LineCounter, path: Path, key?: string): string {
  for (let p = path; ; p = p.slice(0, -1)) {
    const node = p.length === 0 ? doc.contents : doc.getIn(p, true);
    if (isNode(node) && node.range) {
      let offset = node.range[0];
      if (key !== undefined && isMap(node)) {
        const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === key);
        if (pair && isScalar(pair.key) && pair.key.range) offset = pair.key.range[0];
      } else if (p.length < path.length && isMap(node)) {
        // The node itself is missing or not a node: point at its key in the parent map when there is one.
        const last = path[p.length];
        const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === String(last));
        if (pair && isScalar(pair.key) && pair.key.range) offset = pair.key.range[0];
      }
      const { line, col } = lines.linePos(offset);
      return `${line}:${col}`;
    }
    if (p.length === 0) return "1:1";
  }
}

const byPosition = (a: string, b: string) => {
  const pos = (s: string) => (/:(\d+):(\d+): /.exec(s) ?? [0, 0, 0]).slice(1).map(Number);
  const [al = 0, ac = 0] = pos(a);
  const [bl = 0, bc = 0] = pos(b);
  return al - bl || ac - bc;
};

const pathText = (path: Path) =>
  path.reduce<string>((s, k) => (typeof k === "number" ? `${s}[${k}]` : s ? `${s}.${k}` : k), "") || "(top)";

/** `${NAME}` in header and env values comes from the gateway's environment; a missing one is an error. */
function expand(value: string, env: Env, missing: (name: string) => void): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const v = env[name];
    if (v === undefined) missing(name);
    return v ?? "";
  });
}

export function parseConfig(text: string, file: string, env: Env = process.env): GatewayConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return `${file}:${pos ? `${pos.line}:${pos.col}` : "1:1"}: ${e.message.split("\n")[0]}`;
      }),
    );
  }
  const parsed = ConfigSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const problems: string[] = [];
    for (const issue of parsed.error.issues) {
      const path = issue.path.filter((k): k is string | number => typeof k !== "symbol");
      if (issue.code === "unrecognized_keys") {
        for (const key of issue.keys) problems.push(`${file}:${locate(doc, lines, path, key)}: ${pathText([...path, key])}: unknown key`);
      } else {
        problems.push(`${file}:${locate(doc, lines, path)}: ${pathText(path)}: ${issue.message}`);
      }
    }
    throw new ConfigError(problems.sort(byPosition));
  }
  const c = parsed.data;
  const problems: string[] = [];
  const upstreams = c.upstreams.map((u, i) => {
    const at = (k: Path) => `${file}:${locate(doc, lines, ["upstreams", i, ...k])}`;
    const expandMap = (m: Record<string, string> | undefined, field: string) =>
      m &&
      Object.fromEntries(
        Object.entries(m).map(([k, v]) => [
          k,
          expand(v, env, (name) => problems.push(`${at([field, k])}: upstreams[${i}].${field}.${k}: environment variable ${name} is not set`)),
        ]),
      );
    return { ...u, headers: expandMap(u.headers, "headers"), env: expandMap(u.env, "env"), where: at([]) };
  });
  const token = env[c.countersign.token_env];
  if (!token) {
    problems.push(`${file}:${locate(doc, lines, ["countersign", "token_env"])}: countersign.token_env: environment variable ${c.countersign.token_env} is not set (an agent token with jobs:submit, jobs:read, jobs:execute)`);
  }
  if (problems.length > 0) throw new ConfigError(problems.sort(byPosition));
  return {
    url: c.countersign.url.replace(/\/+$/, ""),
    consoleUrl: (c.countersign.console_url ?? c.console_url ?? c.countersign.url).replace(/\/+$/, ""),
    token: token!,
    holdMs: c.hold,
    onBehalfOf: c.on_behalf_of,
    upstreams,
  };
}

export function loadConfig(file: string, env: Env = process.env): GatewayConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new ConfigError([`${file}: cannot read: ${(err as Error).message}`]);
  }
  return parseConfig(text, file, env);
}
