// A `fetch` for the SDK over node:http(s) with keep-alive agents: the gateway sits in front of every tool
// call, and the global fetch (undici's, with its web streams) cost a loopback call ~2-4 ms more than
// node:http in the benchmark's (j). The SDK reads status, statusText and the whole body only, so the
// answer is buffered and handed over as a standard Response.
import http from "node:http";
import https from "node:https";

const agents = { "http:": new http.Agent({ keepAlive: true }), "https:": new https.Agent({ keepAlive: true }) };

/** Statuses whose Response may not carry a body. */
const NO_BODY = new Set([101, 204, 205, 304]);

function headersOf(init: RequestInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(init?.headers).forEach((value, key) => (out[key] = value));
  return out;
}

export const httpFetch: typeof fetch = (input, init) =>
  new Promise<Response>((resolve, reject) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.protocol !== "http:" && url.protocol !== "https:") return reject(new TypeError(`unsupported protocol ${url.protocol}`));
    const body = init?.body;
    if (body !== undefined && body !== null && typeof body !== "string") return reject(new TypeError("httpFetch sends string bodies only"));
    const signal = init?.signal ?? undefined;
    if (signal?.aborted) return reject(signal.reason);
    const mod = url.protocol === "https:" ? https : http;
    const req = mod.request(url, { method: init?.method ?? "GET", headers: headersOf(init), agent: agents[url.protocol] }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        signal?.removeEventListener("abort", abort);
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one);
        const status = res.statusCode ?? 0;
        resolve(new Response(NO_BODY.has(status) ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage ?? "", headers }));
      });
    });
    function abort() {
      req.destroy(signal?.reason instanceof Error ? signal.reason : new Error("aborted"));
      reject(signal?.reason);
    }
    signal?.addEventListener("abort", abort, { once: true });
    // A refused connection reads as fetch's does: a TypeError whose cause says why.
    req.on("error", (err) => reject(new TypeError("fetch failed", { cause: err })));
    req.end(body ?? undefined);
  });
