/**
 * An agent that asks before it acts, against a running Countersign (`npm run demo` prints a token):
 *
 *   COUNTERSIGN_TOKEN=cs_… npm run example:agent
 *
 * It proposes a production config change, waits while a person decides in the console, and runs the
 * change only if approved: claiming the grant first (exactly the job that was approved, once), then
 * reporting the outcome. Set COUNTERSIGN_URL if the server is not on http://localhost:8081.
 */
import { Countersign, CountersignError } from "../sdk/countersign";

const baseUrl = process.env.COUNTERSIGN_URL ?? "http://localhost:8081";
const token = process.env.COUNTERSIGN_TOKEN;
if (!token) {
  console.error("Set COUNTERSIGN_TOKEN to an agent token (npm run demo prints one: demo-agent).");
  process.exit(2);
}

const cs = new Countersign({ baseUrl, token });
const change = { service: "billing-api", key: "http.timeout_ms", from: 3000, to: 4500 };

async function main(): Promise<void> {
  const job = await cs.submit(
    {
      topic: "job.config.update",
      risk_tags: ["prod", "write"],
      title: `Raise ${change.key} on ${change.service} to ${change.to}`,
      description: "p99 latency of the invoice export exceeds the current timeout; raising it stops the retries.",
      labels: { service: change.service, env: "prod" },
      payload: change,
    },
    { idempotencyKey: `example-agent-${Date.now()}` },
  );
  console.log(`submitted ${job.job.id}: ${job.decision} (${job.policy_reason})`);

  let decided = job;
  if (job.job.state === "APPROVAL") {
    const needs = job.requirements.map((r) => `${r.count} of ${r.roles.join("/")}`).join(" and ");
    console.log(`waiting for ${needs}: review it at ${baseUrl}/jobs/${job.job.id}`);
    decided = await cs.waitForDecision(job.job.id);
  }

  const state = decided.job.state;
  if (state !== "APPROVED" && decided.decision !== "ALLOW" && decided.decision !== "ALLOW_WITH_CONSTRAINTS") {
    console.log(`not running: ${state.toLowerCase()}${decided.resolved_by ? ` by ${decided.resolved_by}` : ""}${decided.resolved_comment ? ` (“${decided.resolved_comment}”)` : ""}`);
    return;
  }
  if (state !== "APPROVED") {
    console.log(`allowed by policy (${decided.decision}); running without a grant`);
    return;
  }

  const grant = await cs.claim(decided);
  console.log(`claimed: running exactly ${grant.job_hash.slice(0, 12)}… under ${grant.policy_snapshot}`);
  try {
    await new Promise((r) => setTimeout(r, 500)); // the side effect would happen here
    await cs.complete(job.job.id, "succeeded", `${change.key}=${change.to} applied`);
    console.log("done: reported succeeded");
  } catch (err) {
    await cs.complete(job.job.id, "failed", String(err));
    throw err;
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof CountersignError ? `refused: ${err.message}` : err);
  process.exit(1);
});
