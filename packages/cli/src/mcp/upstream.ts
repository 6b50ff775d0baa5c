// One upstream MCP server the gateway stands in front of: its client, and what it offers, read raw so
// that schemas, annotations and results pass through exactly as the upstream wrote them.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { getDefaultEnvironment, StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ResourceUpdatedNotificationSchema,
  ToolListChangedNotificationSchema,
  type ServerCapabilities,
} from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { UpstreamConfig } from "../config.js";

/** Any result, kept whole: the gateway reads a few fields and passes the rest through untouched. */
export const Loose = z.looseObject({});
const Page = z.looseObject({ nextCursor: z.string().optional() });

export interface RawTool {
  name: string;
  description?: string;
  annotations?: { readOnlyHint?: unknown; destructiveHint?: unknown; openWorldHint?: unknown };
  [k: string]: unknown;
}

export type Change = "tools" | "resources" | "prompts";

export const VERSION = "0.1.0";

export class Upstream {
  readonly client: Client;
  tools: RawTool[] = [];
  connected = false;

  constructor(
    readonly config: UpstreamConfig,
    private readonly events: { changed: (kind: Change) => void; updated: (params: Record<string, unknown>) => void },
  ) {
    this.client = new Client({ name: "countersign-gateway", version: VERSION }, { capabilities: {} });
  }

  get name(): string {
    return this.config.name;
  }

  get capabilities(): ServerCapabilities {
    return this.client.getServerCapabilities() ?? {};
  }

  async connect(): Promise<void> {
    const c = this.config;
    const transport =
      c.url !== undefined
        ? new StreamableHTTPClientTransport(new URL(c.url), { requestInit: { headers: c.headers ?? {} } })
        : new StdioClientTransport({
            command: Array.isArray(c.command) ? c.command[0]! : c.command!,
            args: Array.isArray(c.command) ? c.command.slice(1) : (c.args ?? []),
            // The SDK's short list of safe variables plus the configured ones: the agent token stays
            // with the gateway, never in an upstream's environment.
            env: { ...getDefaultEnvironment(), ...(c.env ?? {}) },
            stderr: "inherit",
          });
    this.client.onclose = () => {
      // Its tools stay listed; calls answer that it is gone (no job) until the gateway is restarted.
      if (this.connected) process.stderr.write(`[countersign mcp] upstream ${this.name} closed the connection\n`);
      this.connected = false;
    };
    await this.client.connect(transport);
    this.connected = true;
    const caps = this.capabilities;
    if (caps.tools) {
      this.client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
        await this.refreshTools().catch(() => undefined);
        this.events.changed("tools");
      });
    }
    if (caps.resources) {
      this.client.setNotificationHandler(ResourceListChangedNotificationSchema, () => this.events.changed("resources"));
      this.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => this.events.updated(n.params));
    }
    if (caps.prompts) this.client.setNotificationHandler(PromptListChangedNotificationSchema, () => this.events.changed("prompts"));
    await this.refreshTools();
  }

  async refreshTools(): Promise<void> {
    this.tools = this.capabilities.tools ? ((await this.listAll("tools/list", "tools")) as RawTool[]) : [];
  }

  /** Every page of a list, raw. */
  async listAll(method: "tools/list" | "resources/list" | "resources/templates/list" | "prompts/list", key: string): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    let cursor: string | undefined;
    do {
      const page: Record<string, unknown> = await this.client.request({ method, params: cursor ? { cursor } : {} }, Page);
      const items = page[key];
      if (!Array.isArray(items)) throw new Error(`${this.name}: ${method} answered without ${key}`);
      out.push(...(items as Record<string, unknown>[]));
      cursor = typeof page.nextCursor === "string" ? page.nextCursor : undefined;
    } while (cursor);
    return out;
  }

  async close(): Promise<void> {
    this.connected = false;
    await this.client.close().catch(() => undefined);
  }
}
