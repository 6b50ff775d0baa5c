import "server-only";
import { log } from "@/lib/log";
import fs from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";

// The embedded database runs in a worker thread (lib/db/pglite-worker.mjs): PGlite executes each
// statement synchronously on its thread, and in the server's thread that stalled every request while
// it worked (half the server's time under a stream of submissions). This is the server's end: the
// slice of PGlite's interface that Drizzle and lib/db/client.ts use, with PGlite's semantics: one
// connection, statements in the order they were asked, a transaction holding the connection until
// it ends.

interface QueryOptions {
  rowMode?: "object" | "array";
  parsers?: Record<number, unknown>;
}

export interface RemoteResults<T> {
  rows: T[];
  fields: { name: string; dataTypeID: number }[];
  affectedRows?: number;
}

/** What a transaction's callback gets: statements that run inside it, and an explicit rollback. */
export interface RemoteTransaction {
  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<RemoteResults<T>>;
  exec(sql: string): Promise<RemoteResults<unknown>[]>;
  rollback(): Promise<void>;
}

type Pending = { resolve: (v: unknown) => void; reject: (e: unknown) => void };

/** A PostgreSQL error from the worker, with its fields (code, constraint, detail…) as PGlite gave them. */
function revive(error: Record<string, unknown>): Error {
  return Object.assign(new Error(String(error.message)), error);
}

const WORKER_SCRIPT = () => path.join(process.cwd(), "lib", "db", "pglite-worker.mjs");

/**
 * A new data directory is created (initdb) in a thread of its own that then ends: initdb leaves PGlite's
 * WebAssembly memory at ~800 MB for as long as that instance lives, while one opened on an existing
 * directory needs ~300 MB (measured). A first start pays one more open (~0.6 s) for it.
 */
function initialiseDataDir(dataDir: string): Promise<void> {
  if (dataDir.includes("://") || fs.existsSync(path.join(dataDir, "PG_VERSION"))) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SCRIPT(), { workerData: { dataDir, initialiseOnly: true } });
    worker.once("error", reject);
    worker.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`initialising the embedded database failed (${code})`))));
  });
}

export class RemotePGlite {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<(payload: string) => void>>();
  private nextId = 1;
  // The connection: top-level statements and whole transactions take turns, in the order they asked.
  private turn: Promise<unknown> = Promise.resolve();
  private closed = false;
  private closing = false;
  readonly ready: Promise<void>;

  private constructor(dataDir: string) {
    this.worker = new Worker(WORKER_SCRIPT(), { workerData: { dataDir } });
    this.ready = new Promise((resolve, reject) => {
      this.worker.on("message", (msg: { op?: string; id?: number; ok?: boolean; result?: unknown; error?: Record<string, unknown>; channel?: string; payload?: string }) => {
        if (msg.op === "ready") return resolve();
        if (msg.op === "failed") return reject(revive(msg.error!));
        if (msg.op === "notify") {
          for (const handler of this.listeners.get(msg.channel!) ?? []) handler(msg.payload!);
          return;
        }
        const waiting = this.pending.get(msg.id!);
        if (!waiting) return;
        this.pending.delete(msg.id!);
        if (msg.ok) waiting.resolve(msg.result);
        else waiting.reject(revive(msg.error!));
      });
      this.worker.on("error", (err) => {
        reject(err);
        this.failAll(err);
      });
      this.worker.on("exit", (code) => {
        if (!this.closing) log().error({ code }, "the embedded database's thread exited unexpectedly");
        this.failAll(new Error(`the embedded database's thread exited (${code})`));
      });
    });
  }

  static async create(dataDir: string): Promise<RemotePGlite> {
    await initialiseDataDir(dataDir);
    const db = new RemotePGlite(dataDir);
    await db.ready;
    return db;
  }

  private failAll(err: unknown): void {
    this.closed = true;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  private send<T>(op: string, fields: Record<string, unknown> = {}): Promise<T> {
    if (this.closed) return Promise.reject(new Error("the embedded database is closed"));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, op, ...fields });
    });
  }

  /** Run `fn` when the connection is free; nothing else runs on it until `fn` settles. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.turn.then(fn, fn);
    this.turn = run.catch(() => {});
    return run;
  }

  // Drizzle passes parsers that keep dates and times as text; functions cannot cross to the worker,
  // so that one choice travels as a flag (the worker holds the same parsers).
  private rawQuery<T>(sql: string, params: unknown[] = [], options?: QueryOptions): Promise<RemoteResults<T>> {
    return this.send("query", { sql, params, options: { rowMode: options?.rowMode ?? "object", rawTimes: !!options?.parsers } });
  }

  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<RemoteResults<T>> {
    return this.exclusive(() => this.rawQuery<T>(sql, params, options));
  }

  exec(sql: string): Promise<RemoteResults<unknown>[]> {
    return this.exclusive(() => this.send("exec", { sql }));
  }

  /** BEGIN, the callback's statements, then COMMIT, or ROLLBACK if it throws: as PGlite's own. */
  transaction<T>(fn: (tx: RemoteTransaction) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      await this.send("exec", { sql: "BEGIN" });
      let done = false;
      const tx: RemoteTransaction = {
        query: (sql, params, options) => {
          if (done) return Promise.reject(new Error("this transaction has ended"));
          return this.rawQuery(sql, params, options);
        },
        exec: (sql) => (done ? Promise.reject(new Error("this transaction has ended")) : this.send("exec", { sql })),
        rollback: async () => {
          done = true;
          await this.send("exec", { sql: "ROLLBACK" });
        },
      };
      try {
        const result = await fn(tx);
        if (!done) {
          done = true;
          await this.send("exec", { sql: "COMMIT" });
        }
        return result;
      } catch (err) {
        if (!done) {
          done = true;
          await this.send("exec", { sql: "ROLLBACK" }).catch(() => {});
        }
        throw err;
      }
    });
  }

  async listen(channel: string, handler: (payload: string) => void): Promise<() => Promise<void>> {
    let handlers = this.listeners.get(channel);
    if (!handlers) {
      handlers = new Set();
      this.listeners.set(channel, handlers);
      await this.send("listen", { channel });
    }
    handlers.add(handler);
    return async () => {
      handlers.delete(handler);
      if (handlers.size === 0 && this.listeners.get(channel) === handlers) {
        this.listeners.delete(channel);
        if (!this.closed) await this.send("unlisten", { channel });
      }
    };
  }

  /** Wait for what was asked, close the database (a clean shutdown: no recovery at the next start). */
  async close(): Promise<void> {
    if (this.closed) return;
    const exited = new Promise<void>((resolve) => {
      this.worker.once("exit", () => resolve());
    });
    this.closing = true;
    await this.exclusive(() => this.send("close"));
    this.closed = true;
    await Promise.race([exited, new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref())]);
  }
}
