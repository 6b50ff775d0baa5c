// The SDK's transport for the gateway: node:http(s) with keep-alive agents. The gateway sits in front of
// every tool call, and the global fetch (undici, web streams, a Response per answer) cost a loopback
// call 2-4 ms more than node:http in the benchmark's (j). The SDK reads status and text only (its
// `Fetch` type), so the answer is buffered and handed over as just that.
import http from "node:http";
import https from "node:https";
import type { Fetch } from "@countersign/sdk";

const agents = { "http:": new http.Agent({ keepAlive: true }), "https:": new https.Agent({ keepAlive: true }) };

export const httpFetch: Fetch = (input, init) =>
  new Promise((resolve, reject) => {
    const url = new URL(input);
    if (url.protocol !== "http:" && url.protocol !== "https:") return reject(new TypeError(`unsupported protocol ${url.protocol}`));
    const { signal } = init;
    if (signal?.aborted) return reject(signal.reason);
    const mod = url.protocol === "https:" ? https : http;
    const req = mod.request(url, { method: init.method, headers: init.headers, agent: agents[url.protocol] }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        signal?.removeEventListener("abort", abort);
        const status = res.statusCode ?? 0;
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ ok: status >= 200 && status < 300, status, statusText: res.statusMessage ?? "", text: () => Promise.resolve(text) });
      });
    });
    function abort() {
      req.destroy(signal?.reason instanceof Error ? signal.reason : new Error("aborted"));
      reject(signal?.reason);
    }
    signal?.addEventListener("abort", abort, { once: true });
    // A refused connection reads as fetch's does: a TypeError whose cause says why.
    req.on("error", (err) => reject(new TypeError("fetch failed", { cause: err })));
    req.end(init.body);
  });
