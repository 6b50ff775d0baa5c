// The MCP server a downstream client talks to: the low-level SDK Server, so that every list and result
// passes through exactly as the upstream wrote it. Only tools/call is gated; resources and prompts are not.
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CallToolRequestSchema,
  CompleteRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
  type ServerCapabilities,
} from "@modelcontextprotocol/sdk/types.js";
import { callTool, type CallDeps } from "./call.js";
import type { Gateway } from "./gateway.js";
import { Loose, VERSION, type Upstream } from "./upstream.js";

type Result = Record<string, unknown>;

function capabilities(gateway: Gateway): ServerCapabilities {
  const has = (k: keyof ServerCapabilities) => gateway.upstreams.some((u) => u.capabilities[k]);
  return {
    tools: { listChanged: true },
    ...(has("resources") ? { resources: { listChanged: true, subscribe: true } } : {}),
    ...(has("prompts") ? { prompts: { listChanged: true } } : {}),
    ...(has("completions") ? { completions: {} } : {}),
  };
}

/** A fresh server for one downstream session, sharing the gateway's upstreams. */
export function createSession(deps: CallDeps): Server {
  const { gateway } = deps;
  const server = new Server({ name: "countersign-gateway", version: VERSION }, { capabilities: capabilities(gateway) });
  const withResources = () => gateway.upstreams.filter((u) => u.capabilities.resources);
  const withPrompts = () => gateway.upstreams.filter((u) => u.capabilities.prompts);
  // Which upstream listed a resource URI last: reads, subscriptions and completions go there.
  const owner = new Map<string, Upstream>();

  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: gateway.tools().map((t) => ({ ...t.tool, name: t.exposed })) }));
  server.setRequestHandler(CallToolRequestSchema, (request, extra) => callTool(deps, request, extra));

  if (withResources().length > 0) {
    const listEach = async (method: "resources/list" | "resources/templates/list", key: "resources" | "resourceTemplates", uriKey: string) => {
      const lists = await Promise.all(withResources().map(async (u) => ({ u, items: await u.listAll(method, key) })));
      for (const { u, items } of lists) for (const r of items) owner.set(String(r[uriKey]), u);
      return { [key]: lists.flatMap((l) => l.items) };
    };
    server.setRequestHandler(ListResourcesRequestSchema, () => listEach("resources/list", "resources", "uri"));
    server.setRequestHandler(ListResourceTemplatesRequestSchema, () => listEach("resources/templates/list", "resourceTemplates", "uriTemplate"));
    // A URI nobody listed (one filled in from a template) goes to the upstreams in turn.
    const byUri = async (uri: string, send: (u: Upstream) => Promise<Result>) => {
      const first = owner.get(uri);
      const order = first ? [first] : withResources();
      let last: unknown = new McpError(ErrorCode.InvalidParams, `Resource ${uri} not found`);
      for (const u of order) {
        try {
          return await send(u);
        } catch (err) {
          last = err;
        }
      }
      throw last;
    };
    server.setRequestHandler(ReadResourceRequestSchema, (r) => byUri(r.params.uri, (u) => u.client.request({ method: "resources/read", params: r.params }, Loose)));
    server.setRequestHandler(SubscribeRequestSchema, (r) => byUri(r.params.uri, (u) => u.client.request({ method: "resources/subscribe", params: r.params }, Loose)));
    server.setRequestHandler(UnsubscribeRequestSchema, (r) => byUri(r.params.uri, (u) => u.client.request({ method: "resources/unsubscribe", params: r.params }, Loose)));
  }

  if (withPrompts().length > 0) {
    server.setRequestHandler(ListPromptsRequestSchema, async () => {
      const lists = await Promise.all(withPrompts().map(async (u) => ({ u, items: await u.listAll("prompts/list", "prompts") })));
      return { prompts: lists.flatMap(({ u, items }) => items.map((p) => ({ ...p, name: gateway.exposedName(u, String(p.name)) }))) };
    });
    server.setRequestHandler(GetPromptRequestSchema, (r) => {
      const to = gateway.route(r.params.name);
      if (!to) throw new McpError(ErrorCode.InvalidParams, `Prompt ${r.params.name} not found`);
      return to.upstream.client.request({ method: "prompts/get", params: { ...r.params, name: to.name } }, Loose);
    });
  }

  if (gateway.upstreams.some((u) => u.capabilities.completions)) {
    server.setRequestHandler(CompleteRequestSchema, (r) => {
      const ref = r.params.ref;
      if (ref.type === "ref/prompt") {
        const to = gateway.route(ref.name);
        if (!to) throw new McpError(ErrorCode.InvalidParams, `Prompt ${ref.name} not found`);
        return to.upstream.client.request({ method: "completion/complete", params: { ...r.params, ref: { ...ref, name: to.name } } }, Loose);
      }
      const u = owner.get(ref.uri) ?? withResources()[0];
      if (!u) throw new McpError(ErrorCode.InvalidParams, `Resource template ${ref.uri} not found`);
      return u.client.request({ method: "completion/complete", params: r.params }, Loose);
    });
  }

  gateway.sessions.add(server);
  server.onclose = () => gateway.sessions.delete(server);
  return server;
}
