import crypto from "node:crypto";
import canonicalize from "canonicalize";
import { it } from "vitest";
import { call } from "./http";
import { makeWorld } from "./fixtures";
it("probe", async () => {
  const w = await makeWorld("probe");
  const raws = [
    '{"topic":"job.repo.read","payload":{"a":"nul\\u0000x"}}',
    '{"topic":"job.repo.read","payload":{"nul\\u0000key":1}}',
    '{"topic":"job.repo.read","payload":{"a":"\\ud800"}}',
    '{"topic":"job.repo.read","payload":{"__proto__":{"x":1},"b":2}}',
    '{"topic":"job.repo.read","payload":{"n":1e400}}',
    '{"topic":"job.repo.read","payload":{"n":12345678901234567890}}',
    '{"topic":"job.repo.read","title":"\\ud800","payload":{}}',
    '{"topic":"job.repo.read","labels":{"__proto__":"x"},"payload":{}}',
  ];
  for (const raw of raws) {
    const r = await call("POST", "/api/v1/jobs", { token: w.agent, rawBody: raw, headers: { "content-type": "application/json" } });
    const parsed = JSON.parse(raw);
    let expected: string | undefined;
    try { expected = crypto.createHash("sha256").update(canonicalize({ topic: parsed.topic, risk_tags: [], payload: parsed.payload })!).digest("hex"); } catch (e) { expected = "ERR " + (e as Error).message; }
    let got: any = null;
    if (r.status < 300) got = await call("GET", `/api/v1/jobs/${r.body.job.id}`, { token: w.agent });
    console.log(raw, "=>", r.status, r.body.code ?? "", "hashmatch", r.body.job_hash === expected, "payload", JSON.stringify(r.body.job?.payload), "get", JSON.stringify(got?.body?.job?.payload), got?.body?.job?.title);
  }
  const v = await call("GET", "/api/v1/audit/verify", { token: w.admin });
  console.log("verify", JSON.stringify(v.body));
});
