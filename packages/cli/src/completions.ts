// Completion reports, retried until the server accepts them. The result goes back to the model first
// and the report follows, so it must outlive a failed request and the process itself: each report is a
// small file in the state directory from the moment the upstream is called until the server accepts it,
// and a later run of the gateway (or of the hook) sends what a dead process left behind.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Env } from "./config.js";
import { CountersignError, isTransient } from "@countersign/sdk";

export type Outcome = "succeeded" | "failed";
export interface CompleteClient {
  complete(id: string, outcome: Outcome, detail?: string): Promise<unknown>;
}
interface Entry { url: string; job_id: string; pid: number; at: number; outcome: Outcome | null; detail?: string }

/** Reports of a live process are left to it; after this long they are anyone's. */
const ADOPT_AFTER_MS = 10 * 60_000;
const UNKNOWN = "the gateway stopped before the upstream answered: the outcome is unknown";

// The API refuses control characters (but tab and newline) and lone surrogates in `detail`: an
// upstream's error text must not make its report unsendable.
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const cleanDetail = (d: string | undefined) => d?.replace(CONTROLS, " ").replace(LONE_SURROGATE, "\ufffd").slice(0, 4000).replace(LONE_SURROGATE, "\ufffd");

export function defaultStateDir(env: Env = process.env): string {
  if (env.COUNTERSIGN_STATE_DIR) return env.COUNTERSIGN_STATE_DIR;
  const base = env.XDG_STATE_HOME || path.join(os.homedir(), ".local", "state");
  return path.join(base, "countersign");
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export class Completions {
  private readonly dir: string | null;
  private readonly prefix: string;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly log: (msg: string) => void;

  constructor(
    private readonly cs: CompleteClient,
    private readonly url: string,
    opts: { stateDir: string | null; log?: (msg: string) => void },
  ) {
    this.prefix = createHash("sha256").update(url).digest("hex").slice(0, 12);
    this.log = opts.log ?? ((m) => process.stderr.write(`[countersign] ${m}\n`));
    let dir = opts.stateDir === null ? null : path.join(opts.stateDir, "completions");
    if (dir) {
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
      } catch (err) {
        this.log(`completion reports are kept in memory only: cannot create ${dir} (${(err as Error).message})`);
        dir = null;
      }
    }
    this.dir = dir;
  }

  private file(jobId: string): string | null {
    return this.dir && path.join(this.dir, `${this.prefix}-${jobId.replace(/[^A-Za-z0-9_-]/g, "_")}.json`);
  }

  private write(e: Entry): void {
    const f = this.file(e.job_id);
    if (!f) return;
    try {
      // Written whole then renamed, so a reader never sees half an entry.
      writeFileSync(`${f}.tmp`, JSON.stringify(e));
      renameSync(`${f}.tmp`, f);
    } catch (err) {
      this.log(`cannot keep the report for ${e.job_id}: ${(err as Error).message}`);
    }
  }

  /** Before the upstream is called: if this process dies now, a later run reports the job failed. */
  begin(jobId: string): void {
    this.write({ url: this.url, job_id: jobId, pid: process.pid, at: Date.now(), outcome: null });
  }

  /**
   * The outcome is known: kept on disk at once (before the caller returns the result), then sent in the
   * background, after the result is on its way, until the server accepts it.
   */
  finish(jobId: string, outcome: Outcome, detail?: string): Promise<void> {
    this.write({ url: this.url, job_id: jobId, pid: process.pid, at: Date.now(), outcome, detail });
    return this.send(jobId, outcome, detail, true);
  }

  private send(jobId: string, outcome: Outcome, detail?: string, afterAnswer = false): Promise<void> {
    const running = this.inFlight.get(jobId);
    if (running) return running;
    const start = afterAnswer ? new Promise<void>((r) => setImmediate(r)) : Promise.resolve();
    const p = start.then(() => this.deliver(jobId, outcome, detail)).finally(() => this.inFlight.delete(jobId));
    this.inFlight.set(jobId, p);
    return p;
  }

  private async deliver(jobId: string, outcome: Outcome, detail?: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.cs.complete(jobId, outcome, cleanDetail(detail));
        return this.forget(jobId);
      } catch (err) {
        // Already completed (by an earlier attempt whose answer was lost), or gone: nothing left to say.
        if (err instanceof CountersignError && (err.code === "not_running" || err.status === 404)) return this.forget(jobId);
        if (!isTransient(err)) {
          this.log(`the server refuses the report for ${jobId} (${(err as Error).message}); kept for a later run`);
          return;
        }
        const wait = Math.min(30_000, 250 * 2 ** attempt);
        if (attempt === 2) this.log(`reporting ${jobId} ${outcome} keeps failing (${(err as Error).message}); retrying`);
        await new Promise((r) => setTimeout(r, wait).unref());
      }
    }
  }

  // Off the main thread: an unlink can wait on the file system's journal (~2 ms beside a busy
  // database), and it would hold up the next tool call. The report is accepted whatever this does.
  private async forget(jobId: string): Promise<void> {
    const f = this.file(jobId);
    if (f) await rm(f, { force: true }).catch((err: unknown) => this.log(`cannot remove the report for ${jobId}: ${(err as Error).message}`));
  }

  /** Send what a dead (or long silent) process left behind for this server. */
  recover(): void {
    if (!this.dir) return;
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((n) => n.startsWith(`${this.prefix}-`) && n.endsWith(".json"));
    } catch {
      return;
    }
    for (const name of names) {
      let e: Entry;
      try {
        e = JSON.parse(readFileSync(path.join(this.dir, name), "utf8")) as Entry;
      } catch {
        continue;
      }
      if (e.url !== this.url || this.inFlight.has(e.job_id)) continue;
      if (e.pid !== process.pid && alive(e.pid) && Date.now() - e.at < ADOPT_AFTER_MS) continue;
      void this.send(e.job_id, e.outcome ?? "failed", e.outcome ? e.detail : UNKNOWN);
    }
  }

  /** Resolves once every report in flight was accepted, or after `ms`. */
  async idle(ms: number): Promise<void> {
    const all = Promise.allSettled([...this.inFlight.values()]);
    await Promise.race([all, new Promise((r) => setTimeout(r, ms).unref())]);
  }

  get pending(): number {
    return this.inFlight.size;
  }
}
