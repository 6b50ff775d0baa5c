// Which calls this agent has been answered "not now" for. DESIGN §7.1: an allowed call costs one round
// trip to Countersign; only a retry (the same call after a pending or refused answer) looks up the
// agent's earlier job first. The record is a file per call in the state directory, so gateways on one
// machine share it and it outlives a restart; at start the gateway also seeds it from the agent's
// recent jobs on the server, so a lost state directory still finds the jobs that wait.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Countersign } from "@countersign/sdk";
import { REFUSAL_MEMORY_MS } from "./gate.js";

const OPEN = new Set(["APPROVAL", "APPROVED"]);
const REFUSED = new Set(["DENIED", "REJECTED", "EXPIRED", "CANCELLED"]);

export class CallMemory {
  private readonly known = new Set<string>();
  private readonly dir: string | null;
  private readonly prefix: string;

  /** `url` and `token` scope the record: the lookup finds only this token's own jobs on this server. */
  constructor(url: string, token: string, stateDir: string | null) {
    this.prefix = createHash("sha256").update(`${url}\n${token}`).digest("hex").slice(0, 16);
    let dir = stateDir === null ? null : path.join(stateDir, "recent");
    try {
      if (dir) mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch {
      dir = null;
    }
    this.dir = dir;
  }

  private key(topic: string, hash: string): string {
    return createHash("sha256").update(`${this.prefix}\n${topic}\n${hash}`).digest("hex").slice(0, 40);
  }

  private file(key: string): string | null {
    return this.dir && path.join(this.dir, key);
  }

  /** True when an earlier answer for this call may still decide it (so the lookup is worth its round trip). */
  mayHave(topic: string, hash: string): boolean {
    const k = this.key(topic, hash);
    if (this.known.has(k)) return true;
    const f = this.file(k);
    return f !== null && existsSync(f);
  }

  remember(topic: string, hash: string, jobId: string): void {
    const k = this.key(topic, hash);
    this.known.add(k);
    const f = this.file(k);
    try {
      if (f) writeFileSync(f, `${jobId}\n`);
    } catch {
      /* memory only */
    }
  }

  forget(topic: string, hash: string): void {
    const k = this.key(topic, hash);
    this.known.delete(k);
    const f = this.file(k);
    if (f) rmSync(f, { force: true });
  }

  /** The agent's recent jobs that a retry would resume or answer: remembered before the first call. */
  async seed(cs: Pick<Countersign, "findJobs">, now = Date.now()): Promise<number> {
    const items = await cs.findJobs({ limit: 50 });
    let n = 0;
    for (const i of items) {
      const recent = REFUSED.has(i.job.state) && now - Date.parse(i.resolved_at ?? i.job.updated_at) < REFUSAL_MEMORY_MS;
      if (OPEN.has(i.job.state) || recent) {
        this.remember(i.job.topic, i.job_hash, i.job.id);
        n++;
      }
    }
    return n;
  }
}
