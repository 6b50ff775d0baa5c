// The downstream over streamable HTTP at /mcp: one SDK transport and one server per session.
import { randomUUID } from "node:crypto";
import http from "node:http";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import type { CallDeps } from "./call.js";
import { createSession } from "./server.js";

const MAX_BODY = 4 * 1024 * 1024;
const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

function jsonRpcError(res: http.ServerResponse, status: number, message: string): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }));
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error("body too large");
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

export function serveHttp(deps: CallDeps, port: number, host: string): Promise<http.Server> {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  // Bound to loopback, the Host header must name loopback too: a web page cannot reach the gateway
  // through a DNS name that resolves to 127.0.0.1 (DNS rebinding).
  const allowedHosts = LOOPBACK.has(host) ? [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`] : undefined;

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://gateway");
      if (url.pathname !== "/mcp") return jsonRpcError(res, 404, "Not found: the MCP endpoint is /mcp");
      const sid = req.headers["mcp-session-id"];
      const existing = typeof sid === "string" ? transports.get(sid) : undefined;
      if (req.method !== "POST") {
        if (!existing) return jsonRpcError(res, 400, "Bad Request: no valid session id");
        return await existing.handleRequest(req, res);
      }
      let body: unknown;
      try {
        body = await readJson(req);
      } catch (err) {
        return jsonRpcError(res, 400, `Bad Request: ${(err as Error).message}`);
      }
      if (existing) return await existing.handleRequest(req, res, body);
      if (sid !== undefined || !isInitializeRequest(body)) return jsonRpcError(res, 400, "Bad Request: no valid session id");
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => void transports.set(id, transport),
        enableDnsRebindingProtection: allowedHosts !== undefined,
        allowedHosts,
      });
      const session = createSession(deps);
      transport.onclose = () => {
        if (transport.sessionId) transports.delete(transport.sessionId);
        void session.close();
      };
      await session.connect(transport);
      await transport.handleRequest(req, res, body);
    } catch (err) {
      if (!res.headersSent) jsonRpcError(res, 500, `Internal error: ${(err as Error).message}`);
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}
