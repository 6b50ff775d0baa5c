import http from "node:http";
import type { AddressInfo } from "node:net";
import { verifySignature } from "@countersign/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, makeTenant, sleep, uniq, type Tenant } from "./server.js";

// A receiver on loopback: the server under test allows it (COUNTERSIGN_WEBHOOK_ALLOW=127.0.0.1, set by
// the test:server script), as a deployment lists its own hosts.
interface Received {
  path: string;
  signature: string;
  body: Buffer;
}
const received: Received[] = [];
let server: http.Server;
let base: string;
let t: Tenant;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ path: req.url ?? "", signature: String(req.headers["countersign-signature"] ?? ""), body: Buffer.concat(chunks) });
      res.end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t = await makeTenant("sig");
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function delivered(path: string): Promise<Received> {
  for (let i = 0; i < 100; i++) {
    const hit = received.find((r) => r.path === path);
    if (hit) return hit;
    await sleep(100);
  }
  throw new Error(`no callback at ${path} (is COUNTERSIGN_WEBHOOK_ALLOW=127.0.0.1 set for the server?)`);
}

describe("verifySignature on a real callback", () => {
  it("accepts what the server signed, and refuses a tampered body, another secret, an old timestamp", async () => {
    const path = `/cb/${uniq()}`;
    const job = await t.client.submit({ topic: "sdk.config.change", payload: { n: uniq() }, callback_url: `${base}${path}` });
    await t.client.cancel(job.job.id, "withdrawn");
    const hit = await delivered(path);
    const secrets = (await api("GET", "/api/v1/admin/callback-secrets", { token: t.admin })).body.items.map((s: { secret: string }) => s.secret) as string[];
    expect(secrets.length).toBeGreaterThan(0);

    expect(await verifySignature(secrets, hit.signature, hit.body)).toBe(true);
    expect(await verifySignature(secrets[0]!, hit.signature, hit.body.toString("utf8"))).toBe(true);
    expect(JSON.parse(hit.body.toString("utf8"))).toMatchObject({ type: "job.cancelled", job: { job: { id: job.job.id, state: "CANCELLED" } } });

    const tampered = hit.body.toString("utf8").replace("CANCELLED", "APPROVED");
    expect(await verifySignature(secrets, hit.signature, tampered)).toBe(false);
    expect(await verifySignature("whsec_someone-else", hit.signature, hit.body)).toBe(false);
    expect(await verifySignature(secrets, null, hit.body)).toBe(false);
    expect(await verifySignature(secrets, hit.signature.replace(/v1=[0-9a-f]+/g, "v1=" + "0".repeat(64)), hit.body)).toBe(false);
    const t0 = Number(/t=(\d+)/.exec(hit.signature)![1]);
    expect(await verifySignature(secrets, hit.signature, hit.body, { nowSec: t0 + 301 })).toBe(false);
    expect(await verifySignature(secrets, hit.signature, hit.body, { nowSec: t0 + 301, toleranceSec: 600 })).toBe(true);
  });
});
