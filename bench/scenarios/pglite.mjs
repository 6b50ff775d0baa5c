// The embedded database: the same server on PGlite in a temporary directory, its ping and submit.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CFG, TARGETS } from "../config.mjs";
import { load } from "../load.mjs";
import { jobTemplates } from "../policy-gen.mjs";
import { cpuNote, httpRow, note, printHeader, step, summariseServerLog } from "../report.mjs";
import { rssPeak, watch } from "../sampling.mjs";
import { api, provision, startServer } from "../server.mjs";
import { fmt, onCleanup } from "../util.mjs";
import { submitSetup } from "./common.mjs";

export async function pglitePhase() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "countersign-bench-pglite-"));
  onCleanup(() => fs.rmSync(dir, { recursive: true, force: true }));
  const server = await startServer({ name: "pglite", port: CFG.pglitePort, env: { DATABASE_URL: undefined, COUNTERSIGN_DATA_DIR: path.join(dir, "pglite") } });
  const stopRss = watch(server, "pglite");
  const { tokens } = await provision(server.base);
  // A small queue, through the API (PGlite is in the server's process: no outside connection).
  const t0 = Date.now();
  let n = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (n < CFG.pgliteSeed) {
        const i = n++;
        await api(server.base, "POST", "/api/v1/jobs", tokens.agent, { topic: "job.config.update", risk_tags: ["prod", "write"], payload: { seed: i } });
      }
    }),
  );
  note(`Seeding (PGlite): ${fmt(CFG.pgliteSeed)} pending jobs through POST /api/v1/jobs in ${((Date.now() - t0) / 1000).toFixed(1)} s.`);

  printHeader();
  let ceiling = null;
  await step("PGlite (a) GET /api/ping", "", async () => {
    ceiling = await load({ base: server.base, path: "/api/ping", token: tokens.agent });
    httpRow("PGlite (a) GET /api/ping", ceiling, { ceiling });
  });
  const target = `≥ ${TARGETS.pgliteRatio}× (its own ping)`;
  await step("PGlite (b) POST /api/v1/jobs", target, async () => {
    const m = await load({ base: server.base, path: "/api/v1/jobs", method: "POST", token: tokens.agent, setupRequest: submitSetup(jobTemplates(CFG.generatedRules)) });
    httpRow("PGlite (b) POST /api/v1/jobs", m, { ceiling, checks: [(x, r) => r >= TARGETS.pgliteRatio], target });
  });
  stopRss();
  cpuNote("PGlite, whose database runs in a thread of the server");
  summariseServerLog(server);
  note(`PGlite server peak RSS under load: ${fmt(rssPeak.pglite)} MB (informative; the memory target is for PostgreSQL).`);
  await server.stop();
}
