/**
 * An agent that asks before it acts, against a running Countersign (`npm run demo` prints a token):
 *
 *   COUNTERSIGN_TOKEN=cs_… npm run example:agent
 *
 * It proposes a production config change, waits while a person decides in the console, and runs the
 * change only if approved, through `@countersign/sdk`'s gate: the grant is claimed first (exactly the
 * job that was approved, once), and the outcome is reported after. Set COUNTERSIGN_URL if the server
 * is not on http://localhost:8081.
 */
import { Countersign, CountersignError, PendingError } from "@countersign/sdk";

const baseUrl = process.env.COUNTERSIGN_URL ?? "http://localhost:8081";
const token = process.env.COUNTERSIGN_TOKEN;
if (!token) {
  console.error("Set COUNTERSIGN_TOKEN to an agent token (npm run demo prints one: demo-agent).");
  process.exit(2);
}

const cs = new Countersign({ baseUrl, token });
const change = { service: "billing-api", key: "http.timeout_ms", from: 3000, to: 4500 };

async function main(): Promise<void> {
  const job = {
    topic: "job.config.update",
    risk_tags: ["prod", "write"],
    title: `Raise ${change.key} on ${change.service} to ${change.to}`,
    description: "p99 latency of the invoice export exceeds the current timeout; raising it stops the retries.",
    labels: { service: change.service, env: "prod" },
    payload: change,
  };
  let announced = false;
  const applied = await cs.gate(
    job,
    async (grant, item) => {
      console.log(`${item.decision}: running exactly ${grant.job_hash.slice(0, 12)}… under ${grant.policy_snapshot}`);
      await new Promise((r) => setTimeout(r, 500)); // the side effect would happen here
      return `${change.key}=${change.to}`;
    },
    {
      idempotencyKey: `example-agent-${Date.now()}`,
      onPoll: (item) => {
        if (announced) return;
        announced = true;
        const needs = item.requirements.map((r) => `${r.count} of ${r.roles.join("/")}`).join(" and ");
        console.log(`waiting for ${needs}: review it at ${cs.consoleUrl(item.job.id)}`);
      },
    },
  );
  console.log(`done: ${applied} applied, reported succeeded`);
}

main().catch((err: unknown) => {
  if (err instanceof PendingError) console.log(`still pending: ${err.message}`);
  else if (err instanceof CountersignError) console.log(`not running: ${err.message}`);
  else console.error(err);
  process.exit(1);
});
