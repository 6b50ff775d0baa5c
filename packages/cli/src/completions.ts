// Completion reports, retried until the server accepts them. The result goes back to the model first
// and the report follows, so it must outlive a failed request and the process itself: from the moment
// the upstream is called until the server accepts the report, it is a line in this process's journal in
// the state directory, and a later run of the gateway (or of the hook) sends what a dead process left.
//
// One journal per process, appended to and never rewritten: a report costs three small writes on one
// open file (begun, finished, accepted) instead of creating, renaming and removing a file each, which
// on a busy disk cost the gateway ~1 ms a call. A line reaches the kernel before the call goes on, so a
// process that dies keeps what it wrote; a torn last line is skipped when read.
import { createHash, randomBytes } from "node:crypto";
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from "node:fs";
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

/** A journal line: a report begun (outcome null) or finished, or `done` once the server accepted it. */
type Line = Entry | { job_id: string; done: true };

/** A journal grown this much past what it held after its last rewrite is rewritten with only its open reports. */
const COMPACT_AT = 256 * 1024;
const JOURNAL = /^([0-9a-f]{12})-(\d+)-[0-9a-f]+\.log$/;

/** The open reports of a journal's text: the last line per job, unless done. Torn or foreign lines are skipped. */
export function openReports(text: string): Entry[] {
  const open = new Map<string, Entry>();
  for (const raw of text.split("\n")) {
    let line: Line;
    try {
      line = JSON.parse(raw) as Line;
    } catch {
      continue;
    }
    if (typeof line?.job_id !== "string") continue;
    if ("done" in line) open.delete(line.job_id);
    else open.set(line.job_id, line);
  }
  return [...open.values()];
}

export class Completions {
  private readonly dir: string | null;
  private readonly prefix: string;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly log: (msg: string) => void;
  /** This process's journal: opened at its first report. */
  private journal: { file: string; fd: number; bytes: number; floor: number } | null = null;
  /** After close(): a late acceptance must not open a new journal (its report is simply sent again later). */
  private closed = false;
  /** Reports in this process's journal not yet accepted. */
  private readonly open = new Map<string, Entry>();

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

  private append(line: Line): void {
    if (!this.dir || this.closed) return;
    try {
      if (!this.journal) {
        const file = path.join(this.dir, `${this.prefix}-${process.pid}-${randomBytes(4).toString("hex")}.log`);
        this.journal = { file, fd: openSync(file, "a", 0o600), bytes: 0, floor: 0 };
      }
      // One write of a whole line on an O_APPEND descriptor: a crash leaves it whole or torn, never mixed.
      this.journal.bytes += writeSync(this.journal.fd, `${JSON.stringify(line)}\n`);
    } catch (err) {
      this.log(`cannot keep the report for ${line.job_id}: ${(err as Error).message}`);
    }
  }

  private keep(e: Entry): void {
    this.open.set(e.job_id, e);
    this.append(e);
  }

  /** Before the upstream is called: if this process dies now, a later run reports the job failed. */
  begin(jobId: string): void {
    this.keep({ url: this.url, job_id: jobId, pid: process.pid, at: Date.now(), outcome: null });
  }

  /**
   * The outcome is known: kept on disk at once (before the caller returns the result), then sent in the
   * background, after the result is on its way, until the server accepts it.
   */
  finish(jobId: string, outcome: Outcome, detail?: string): Promise<void> {
    this.keep({ url: this.url, job_id: jobId, pid: process.pid, at: Date.now(), outcome, detail });
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

  private forget(jobId: string): void {
    this.open.delete(jobId);
    this.append({ job_id: jobId, done: true });
    // Measured from the last rewrite: many reports the server refuses must not make every call rewrite.
    const j = this.journal;
    if (j && j.bytes > j.floor + COMPACT_AT) this.compact();
  }

  /** The journal again with only its open reports, so it does not grow without end; whole, then renamed. */
  private compact(): void {
    const j = this.journal!;
    const tmp = `${j.file}.tmp`;
    try {
      const text = [...this.open.values()].map((e) => `${JSON.stringify(e)}\n`).join("");
      writeFileSync(tmp, text, { mode: 0o600 });
      renameSync(tmp, j.file);
      closeSync(j.fd);
      const bytes = Buffer.byteLength(text);
      this.journal = { file: j.file, fd: openSync(j.file, "a", 0o600), bytes, floor: bytes };
    } catch (err) {
      this.log(`cannot compact ${j.file}: ${(err as Error).message}`);
    }
  }

  /**
   * Send what a dead (or long silent) process left behind for this server. A dead process's journal is
   * taken over: its open reports are copied into this one, then it is removed. A live one's reports are
   * left to it unless they are older than ADOPT_AFTER_MS (and then sent, the journal left in place).
   */
  recover(): void {
    if (!this.dir) return;
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((n) => n.startsWith(`${this.prefix}-`));
    } catch {
      return;
    }
    for (const name of names) {
      const file = path.join(this.dir, name);
      if (file === this.journal?.file) continue;
      const m = JOURNAL.exec(name);
      // Earlier versions kept a file per report (<prefix>-<job>.json); those are read the same way.
      const legacy = !m && name.endsWith(".json");
      if (!m && !legacy) continue;
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch {
        continue;
      }
      const owner = m ? Number(m[2]) : null;
      // Our own pid on a journal not ours: another instance in this process (tests), left alone too.
      const ownerAlive = owner !== null && (owner === process.pid || alive(owner));
      const reports = openReports(text).filter((e) => e.url === this.url && !this.inFlight.has(e.job_id));
      const taken = reports.filter((e) => (legacy ? !(e.pid !== process.pid && alive(e.pid)) : !ownerAlive) || Date.now() - e.at >= ADOPT_AFTER_MS);
      for (const e of taken) {
        if (!ownerAlive) this.keep(e);
      }
      if (!ownerAlive && taken.length === reports.length) {
        try {
          unlinkSync(file);
        } catch {
          /* another run took it over first */
        }
      }
      for (const e of taken) void this.send(e.job_id, e.outcome ?? "failed", e.outcome ? e.detail : UNKNOWN);
    }
  }

  /** On the way out: a journal with nothing open is removed; one with open reports stays for the next run. */
  close(): void {
    this.closed = true;
    const j = this.journal;
    if (!j) return;
    this.journal = null;
    try {
      closeSync(j.fd);
      if (this.open.size === 0) unlinkSync(j.file);
    } catch {
      /* left for the next run to read */
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
