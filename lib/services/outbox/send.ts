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
 * connect time, and the receiver gets `timeoutMs` for the whole exchange.
 */
export function sendWebhook(url: string, body: string, headers: Record<string, string>, opts: { allow: ReadonlySet<string>; timeoutMs: number }): Promise<SendResult> {
  const started = performance.now();
  const done = (statusCode: number | null, error: string | null): SendResult => ({ statusCode, error, latencyMs: Math.round(performance.now() - started) });
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return resolve(done(null, "invalid URL"));
    }
    const client = target.protocol === "https:" ? https : target.protocol === "http:" ? http : null;
    if (!client) return resolve(done(null, `unsupported scheme ${target.protocol}`));
    const refused = refuseLiteral(target.hostname, opts.allow);
    if (refused) return resolve(done(null, refused.message));
    const req = client.request(
      target,
      {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "Countersign-Webhook/1", "content-length": Buffer.byteLength(body), ...headers },
        lookup: guardedLookup(opts.allow) as unknown as typeof import("node:dns").lookup,
        timeout: opts.timeoutMs,
      },
      (res) => {
        let read = 0;
        res.on("data", (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) res.destroy();
        });
        res.on("end", () => {
          const code = res.statusCode ?? null;
          resolve(done(code, code !== null && code >= 200 && code < 300 ? null : `HTTP ${code}`));
        });
        res.on("error", () => resolve(done(res.statusCode ?? null, "response aborted")));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`timed out after ${opts.timeoutMs} ms`)));
    req.on("error", (err) => resolve(done(null, err.message)));
    req.end(body);
  });
}
