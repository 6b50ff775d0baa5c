/** The gateway's keep-alive transport answers what the SDK reads of a fetch (no server needed). */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpFetch } from "../src/http-fetch";

let server: http.Server;
let base: string;
const sockets = new Set<number>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    sockets.add(req.socket.remotePort!);
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      if (req.url === "/empty") return res.writeHead(204).end();
      if (req.url === "/slow") return void setTimeout(() => res.end("late"), 2_000);
      res.writeHead(req.url === "/missing" ? 404 : 200, "Custom Text", { "content-type": "application/json", "set-cookie": ["a=1", "b=2"] });
      res.end(JSON.stringify({ method: req.method, body, auth: req.headers.authorization ?? null }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

const GET = { method: "GET", headers: {} };

describe("httpFetch", () => {
  it("sends method, headers and body; answers status, text and headers; keeps the connection", async () => {
    sockets.clear();
    for (let i = 0; i < 3; i++) {
      const res = await httpFetch(`${base}/x`, { method: "POST", headers: { authorization: "Bearer t", "content-type": "application/json" }, body: '{"n":1}' });
      expect(res.status).toBe(200);
      expect(res.ok).toBe(true);
      expect(res.statusText).toBe("Custom Text");
      expect(JSON.parse(await res.text())).toEqual({ method: "POST", body: '{"n":1}', auth: "Bearer t" });
    }
    expect(sockets.size).toBe(1);
  });

  it("a 404 is an answer, and a 204 has no body", async () => {
    const missing = await httpFetch(`${base}/missing`, GET);
    expect(missing.ok).toBe(false);
    expect(missing.status).toBe(404);
    const empty = await httpFetch(`${base}/empty`, GET);
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe("");
  });

  it("an abort rejects with the signal's reason", async () => {
    const signal = AbortSignal.timeout(50);
    await expect(httpFetch(`${base}/slow`, { ...GET, signal })).rejects.toMatchObject({ name: "TimeoutError" });
  });

  it("a refused connection is a TypeError whose cause says why, as fetch's is", async () => {
    const err = await httpFetch("http://127.0.0.1:1/", GET).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as TypeError & { cause: { code: string } }).cause.code).toBe("ECONNREFUSED");
  });
});
