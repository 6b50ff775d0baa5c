import { beforeAll, describe, it } from "vitest";
import { call } from "./http";
import { makeWorld, type World } from "./fixtures";

let w: World;
beforeAll(async () => {
  w = await makeWorld("zz2");
});
const show = (label: string, r: any) => console.log(`PROBE ${label}: ${r.status} ${JSON.stringify(r.body).slice(0, 400)}`);

const ESC = `version: v1
rules:
  - id: esc
    match:
      topics: ["job.esc.*"]
    decision: require_approval
    approvers: {roles: [oncall], count: 1}
    sla: 1s
    escalate_to: [manager]
`;

describe("escalation", () => {
  it("an escalate_to approval renders as 0 approvals once APPROVED; no escalation audit", async () => {
    const put = await call("PUT", "/api/v1/policy", { token: w.admin, rawBody: ESC, headers: { "content-type": "application/yaml" } });
    show("put", put);
    const job = await w.submit({ topic: "job.esc.run", payload: {} });
    await new Promise((r) => setTimeout(r, 1300));
    const mgr = await w.person(["manager"]);
    const ap = await call("POST", `/api/v1/approvals/${job.job.id}/approve`, { token: mgr.token, body: { reason: "ok" } });
    console.log("PROBE esc approve state", ap.status, ap.body.job?.state, JSON.stringify(ap.body.requirements), JSON.stringify(ap.body.sla));
    const g = await call("GET", `/api/v1/jobs/${job.job.id}`, { token: w.admin });
    console.log("PROBE esc get", g.body.job.state, JSON.stringify(g.body.requirements));
    const audit = await call("GET", `/api/v1/audit?job_id=${job.job.id}`, { token: w.admin });
    console.log("PROBE esc audit types", audit.body.items.map((i: any) => i.type).join(","));
  });
});

describe("verify under load", () => {
  it("hammer", async () => {
    let bad = 0;
    let stop = false;
    const writers = (async () => {
      let n = 0;
      while (!stop) await Promise.all(Array.from({ length: 10 }, () => w.submit({ topic: "job.repo.read", payload: { n: n++ } })));
    })();
    for (let i = 0; i < 60; i++) {
      const v = await call("GET", "/api/v1/audit/verify", { token: w.admin });
      if (!v.body.ok) {
        if (bad++ === 0) show("verify", v);
      }
    }
    stop = true;
    await writers;
    const v = await call("GET", "/api/v1/audit/verify", { token: w.admin });
    console.log(`PROBE verify false positives ${bad}/60; quiet ok=${v.body.ok} checked=${v.body.checked}`);
  });
});

describe("openapi", () => {
  it("shape", async () => {
    const r = await call("GET", "/api/v1/openapi.json");
    const doc = r.body;
    console.log("PROBE paths", Object.keys(doc.paths).join(" "));
    const ap = doc.paths["/approvals/{id}/approve"]?.post;
    console.log("PROBE approve resp additionalProperties", JSON.stringify(ap?.responses["200"].content["application/json"].schema.additionalProperties), "props", Object.keys(ap?.responses["200"].content["application/json"].schema.properties ?? {}).join(","));
    console.log("PROBE jobs post responses", Object.keys(doc.paths["/jobs"].post.responses).join(","));
    console.log("PROBE cancel requestBody required", doc.paths["/jobs/{id}/cancel"].post.requestBody?.required);
    console.log("PROBE decisions resp", JSON.stringify(doc.paths["/jobs/{id}/decisions"].get.responses["200"].content["application/json"].schema));
    console.log("PROBE idempotency header documented", JSON.stringify(doc.paths["/jobs"].post.parameters));
  });
});
