// The gateway's upstreams and the tools it shows: the union of the upstreams' tools (named
// `<upstream>__<tool>` when there are several), hidden ones removed, each exactly as its upstream lists it.
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { GatewayConfig } from "../config.js";
import { Upstream, type Change, type RawTool } from "./upstream.js";

export interface ToolEntry {
  /** The name the downstream client sees. */
  exposed: string;
  upstream: Upstream;
  tool: RawTool;
}

export class Gateway {
  readonly upstreams: Upstream[];
  /** One MCP server per downstream session (stdio has one; streamable HTTP one per session). */
  readonly sessions = new Set<Server>();

  constructor(readonly config: GatewayConfig) {
    this.upstreams = config.upstreams.map(
      (u) =>
        new Upstream(u, {
          changed: (kind) => this.broadcastChange(kind),
          updated: (params) => this.broadcast((s) => s.sendResourceUpdated(params as { uri: string })),
        }),
    );
  }

  get prefixed(): boolean {
    return this.upstreams.length > 1;
  }

  /** Names as the client sees them: prefixed with the upstream when there is more than one. */
  exposedName(upstream: Upstream, name: string): string {
    return this.prefixed ? `${upstream.name}__${name}` : name;
  }

  /** Connects every upstream; the first that fails stops the start, naming its place in the config. */
  async start(): Promise<void> {
    await Promise.all(
      this.upstreams.map(async (u) => {
        try {
          await u.connect();
        } catch (err) {
          throw new Error(`${u.config.where}: upstream ${u.name}: cannot connect: ${(err as Error).message}`, { cause: err });
        }
      }),
    );
  }

  tools(): ToolEntry[] {
    const out: ToolEntry[] = [];
    for (const upstream of this.upstreams) {
      const hidden = new Set(upstream.config.hide);
      for (const tool of upstream.tools) {
        if (!hidden.has(tool.name)) out.push({ exposed: this.exposedName(upstream, tool.name), upstream, tool });
      }
    }
    return out;
  }

  findTool(exposed: string): ToolEntry | undefined {
    return this.tools().find((t) => t.exposed === exposed);
  }

  /** The upstream and its own name for an exposed prompt name. */
  route(exposed: string): { upstream: Upstream; name: string } | undefined {
    if (!this.prefixed) return this.upstreams[0] && { upstream: this.upstreams[0], name: exposed };
    const i = exposed.indexOf("__");
    const upstream = i > 0 ? this.upstreams.find((u) => u.name === exposed.slice(0, i)) : undefined;
    return upstream && { upstream, name: exposed.slice(i + 2) };
  }

  private broadcast(send: (s: Server) => Promise<void>): void {
    for (const s of this.sessions) send(s).catch(() => undefined);
  }

  private broadcastChange(kind: Change): void {
    this.broadcast((s) =>
      kind === "tools" ? s.sendToolListChanged() : kind === "resources" ? s.sendResourceListChanged() : s.sendPromptListChanged(),
    );
  }

  async close(): Promise<void> {
    await Promise.all([...this.sessions].map((s) => s.close().catch(() => undefined)));
    await Promise.all(this.upstreams.map((u) => u.close()));
  }
}
