import "server-only";
import http from "node:http";
import https from "node:https";
import { guardedLookup, refuseLiteral } from "./address-guard";

export interface SendResult {
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
}

const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * POST one webhook. Redirects are not followed (a 3xx is a failure), internal addresses are refused at
 * connect time, and the receiver gets `timeoutMs` for the whole exchange (kept well under the lease).
 */
export function sendWebhook(url: string, body: string, headers: Record<string, string>, opts: { allow: ReadonlySet<string>; timeoutMs: number }): Promise<SendResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    // Settles exactly once, whatever the receiver does (answers, stalls, floods, hangs up).
    let settled = false;
    let responded = false;
    const open: { req?: http.ClientRequest } = {};
    // A hard limit on the whole exchange (a socket timeout alone lets a slow drip run forever).
    const deadline = setTimeout(() => {
      finish(null, `timed out after ${opts.timeoutMs} ms`);
      open.req?.destroy();
    }, opts.timeoutMs);
    const finish = (statusCode: number | null, error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve({ statusCode, error, latencyMs: Math.round(performance.now() - started) });
    };
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return finish(null, "invalid URL");
    }
    const client = target.protocol === "https:" ? https : target.protocol === "http:" ? http : null;
    if (!client) return finish(null, `unsupported scheme ${target.protocol}`);
    const refused = refuseLiteral(target.hostname, opts.allow);
    if (refused) return finish(null, refused.message);
    const req = client.request(
      target,
      {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "Countersign-Webhook/1", "content-length": Buffer.byteLength(body), ...headers },
        lookup: guardedLookup(opts.allow) as unknown as typeof import("node:dns").lookup,
      },
      (res) => {
        responded = true;
        const code = res.statusCode ?? null;
        let read = 0;
        res.on("data", (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) {
            // The status is known; the rest of an oversized answer is not read.
            finish(code, code !== null && code >= 200 && code < 300 ? null : `HTTP ${code}`);
            res.destroy();
          }
        });
        res.on("end", () => finish(code, code !== null && code >= 200 && code < 300 ? null : `HTTP ${code}`));
        res.on("error", () => finish(code, "response aborted"));
        res.on("close", () => finish(code, "connection closed before the answer ended"));
      },
    );
    open.req = req;
    req.on("error", (err) => finish(null, err.message));
    // Before any answer, a closed connection is a failure; after one, the response's own events settle it.
    req.on("close", () => {
      if (!responded) finish(null, "connection closed");
    });
    req.end(body);
  });
}
