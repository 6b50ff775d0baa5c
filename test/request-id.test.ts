import { describe, expect, it } from "vitest";
import { call, dispatch } from "./http";
import { ADMIN } from "./fixtures";

// Every API answer names its request (x-request-id), and a problem carries it as `request_id`: what a
// caller quotes so an operator finds the server's log lines about it.
describe("request ids", () => {
  it("a problem answer carries a new request id, in its body and its header", async () => {
    const res = await dispatch(new Request("http://localhost:3000/api/v1/jobs/job-nope", { headers: { authorization: `Bearer ${ADMIN()}` } }));
    const body = (await res.json()) as { request_id: string };
    expect(res.status).toBe(404);
    expect(body.request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get("x-request-id")).toBe(body.request_id);
  });

  it("a caller's own x-request-id is kept; an unusable one is replaced", async () => {
    const mine = await call("GET", "/api/v1/jobs/job-nope", { token: ADMIN(), headers: { "x-request-id": "trace-42" } });
    expect(mine.body.request_id).toBe("trace-42");
    const spaced = await call("GET", "/api/v1/jobs/job-nope", { token: ADMIN(), headers: { "x-request-id": "has spaces" } });
    expect(spaced.body.request_id).not.toBe("has spaces");
  });

  it("a successful answer names its request too; so do unknown routes and unserved methods", async () => {
    const ok = await call("GET", "/api/v1/policy", { token: ADMIN(), headers: { "x-request-id": "trace-43" } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("x-request-id")).toBe("trace-43");
    const unknown = await call("GET", "/api/v1/no/such/route", { headers: { "x-request-id": "trace-44" } });
    expect(unknown.body).toMatchObject({ code: "not_found", request_id: "trace-44" });
    const method = await call("PUT", "/api/v1/jobs", { token: ADMIN() });
    expect(method.status).toBe(405);
    expect(typeof method.body.request_id).toBe("string");
  });
});
