/**
 * The completion journal (completions.ts) on its own, with a fake server: what a process leaves behind,
 * what the next one takes over, and that a journal neither loses an open report nor grows without end.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CountersignError } from "@countersign/sdk";
import { Completions, openReports, type Outcome } from "../src/completions";

const URL_ = "http://countersign.test";

/** A server that accepts every report (or refuses while `down`), recording what it was told. */
function fakeServer() {
  const got: { id: string; outcome: Outcome; detail?: string }[] = [];
  const s = {
    down: false,
    got,
    async complete(id: string, outcome: Outcome, detail?: string) {
      if (s.down) throw new CountersignError({ status: 503, code: "unavailable", detail: "down" });
      got.push({ id, outcome, detail });
    },
  };
  return s;
}

const fresh = () => mkdtempSync(path.join(os.tmpdir(), "cs-journal-"));
const files = (dir: string) => readdirSync(path.join(dir, "completions"));
/** The one journal in the state directory. */
function theJournal(dir: string): string {
  const all = files(dir);
  expect(all).toHaveLength(1);
  return all[0]!;
}
const openIn = (dir: string) => files(dir).flatMap((f) => openReports(readFileSync(path.join(dir, "completions", f), "utf8")));
/** The pid of a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ["-e", "0"]).pid!;

describe("the completion journal", () => {
  it("keeps a report from begin until accepted, in one file, and removes it on close", async () => {
    const dir = fresh();
    const server = fakeServer();
    const c = new Completions(server, URL_, { stateDir: dir, log: () => {} });
    c.begin("job-1");
    expect(openIn(dir).map((e) => [e.job_id, e.outcome])).toEqual([["job-1", null]]);
    server.down = true;
    const sent = c.finish("job-1", "succeeded");
    expect(openIn(dir).map((e) => [e.job_id, e.outcome])).toEqual([["job-1", "succeeded"]]);
    await new Promise((r) => setTimeout(r, 50));
    server.down = false;
    await sent;
    expect(server.got).toEqual([{ id: "job-1", outcome: "succeeded", detail: undefined }]);
    expect(openIn(dir)).toEqual([]);
    expect(files(dir)).toHaveLength(1);
    c.close();
    expect(files(dir)).toHaveLength(0);
  });

  it("leaves open reports on close, and the next run sends them and takes the journal over", async () => {
    const dir = fresh();
    const server = fakeServer();
    const unreachable = fakeServer();
    unreachable.down = true;
    const first = new Completions(unreachable, URL_, { stateDir: dir, log: () => {} });
    first.begin("job-a");
    void first.finish("job-b", "failed", "upstream error");
    first.close();
    // Renamed as if its process had died, so the next run may take it.
    const name = theJournal(dir);
    const dead = name.replace(`-${process.pid}-`, `-${deadPid()}-`);
    writeFileSync(path.join(dir, "completions", dead), readFileSync(path.join(dir, "completions", name)));
    rmSync(path.join(dir, "completions", name));
    const next = new Completions(server, URL_, { stateDir: dir, log: () => {} });
    next.recover();
    await next.idle(5_000);
    expect(server.got.map((g) => [g.id, g.outcome, g.detail]).sort()).toEqual([
      ["job-a", "failed", "the gateway stopped before the upstream answered: the outcome is unknown"],
      ["job-b", "failed", "upstream error"],
    ]);
    expect(existsSync(path.join(dir, "completions", dead))).toBe(false);
    next.close();
    expect(files(dir)).toEqual([]);
  });

  it("after close, a report accepted late opens no new journal", async () => {
    const dir = fresh();
    const server = fakeServer();
    server.down = true;
    const c = new Completions(server, URL_, { stateDir: dir, log: () => {} });
    const sent = c.finish("job-late", "succeeded");
    c.close();
    const left = theJournal(dir);
    server.down = false;
    await sent;
    expect(server.got.map((g) => g.id)).toEqual(["job-late"]);
    // The journal left behind still names it: the next run sends it again and the server says not_running.
    expect(files(dir)).toEqual([left]);
  });

  it("leaves a live process's recent reports to it", async () => {
    const dir = fresh();
    const server = fakeServer();
    server.down = true;
    const live = new Completions(server, URL_, { stateDir: dir, log: () => {} });
    live.begin("job-live");
    const other = new Completions(server, URL_, { stateDir: dir, log: () => {} });
    server.down = false;
    other.recover();
    await other.idle(1_000);
    expect(server.got).toEqual([]);
    expect(openIn(dir).map((e) => e.job_id)).toEqual(["job-live"]);
  });

  it("skips a torn last line and reads a report file of the earlier layout", async () => {
    const dir = fresh();
    const server = fakeServer();
    const prefix = createHash("sha256").update(URL_).digest("hex").slice(0, 12);
    mkdirSync(path.join(dir, "completions"));
    const at = Date.now();
    writeFileSync(
      path.join(dir, "completions", `${prefix}-${deadPid()}-0a0b0c0d.log`),
      `${JSON.stringify({ url: URL_, job_id: "job-torn-ok", pid: 1, at, outcome: "succeeded" })}\n{"url":"${URL_}","job_id":"job-to`,
    );
    writeFileSync(path.join(dir, "completions", `${prefix}-job-old.json`), JSON.stringify({ url: URL_, job_id: "job-old", pid: deadPid(), at, outcome: null }));
    const c = new Completions(server, URL_, { stateDir: dir, log: () => {} });
    c.recover();
    await c.idle(5_000);
    expect(server.got.map((g) => g.id).sort()).toEqual(["job-old", "job-torn-ok"]);
    c.close();
    expect(files(dir)).toEqual([]);
  });

  it("compacts: a long-lived journal keeps only what is open", async () => {
    const dir = fresh();
    const server = fakeServer();
    const c = new Completions(server, URL_, { stateDir: dir, log: () => {} });
    server.down = true;
    c.begin("job-stuck");
    server.down = false;
    const detail = "x".repeat(1000);
    for (let i = 0; i < 400; i++) await c.finish(`job-${i}`, "succeeded", detail);
    const name = theJournal(dir);
    expect(readFileSync(path.join(dir, "completions", name), "utf8").length).toBeLessThan(300 * 1024);
    expect(openIn(dir).map((e) => e.job_id)).toEqual(["job-stuck"]);
  });
});
