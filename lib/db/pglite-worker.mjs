// The embedded database's own thread: PGlite (PostgreSQL compiled to WebAssembly) runs every statement
// synchronously on the thread that holds it, so in the server's thread it would stall every request
// while it works. Here it gets a thread (and a core) of its own; lib/db/pglite-remote.ts is the other end.
// Plain JavaScript, loaded by path at run time (not bundled).
import { parentPort, workerData } from "node:worker_threads";
import { PGlite, types } from "@electric-sql/pglite";

// Drizzle asks for date and time columns as text (it parses them itself); our own reads take Dates.
const RAW_TIMES = {
  [types.TIMESTAMP]: (v) => v,
  [types.TIMESTAMPTZ]: (v) => v,
  [types.INTERVAL]: (v) => v,
  [types.DATE]: (v) => v,
};

/** An error as plain data: the message and PostgreSQL's fields (code, constraint, detail…). */
function plainError(err) {
  const out = { message: String(err?.message ?? err), name: err?.name ?? "Error" };
  if (err && typeof err === "object") {
    for (const [k, v] of Object.entries(err)) {
      if (v === null || ["string", "number", "boolean"].includes(typeof v)) out[k] = v;
    }
  }
  return out;
}

const db = await PGlite.create(workerData.dataDir).catch((err) => {
  parentPort.postMessage({ op: "failed", error: plainError(err) });
  return null;
});

if (db) {
  const unlisten = new Map();
  parentPort.on("message", async (msg) => {
    try {
      let result;
      switch (msg.op) {
        case "query": {
          const { rowMode = "object", rawTimes = false } = msg.options ?? {};
          const res = await db.query(msg.sql, msg.params ?? [], { rowMode, ...(rawTimes ? { parsers: RAW_TIMES } : {}) });
          result = { rows: res.rows, fields: res.fields, affectedRows: res.affectedRows };
          break;
        }
        case "exec":
          result = (await db.exec(msg.sql)).map((r) => ({ rows: r.rows, fields: r.fields, affectedRows: r.affectedRows }));
          break;
        case "listen":
          if (!unlisten.has(msg.channel)) {
            unlisten.set(msg.channel, await db.listen(msg.channel, (payload) => parentPort.postMessage({ op: "notify", channel: msg.channel, payload })));
          }
          break;
        case "unlisten":
          await unlisten.get(msg.channel)?.();
          unlisten.delete(msg.channel);
          break;
        case "close":
          await db.close();
          parentPort.postMessage({ id: msg.id, ok: true });
          parentPort.close();
          return;
        default:
          throw new Error(`unknown operation ${msg.op}`);
      }
      parentPort.postMessage({ id: msg.id, ok: true, result });
    } catch (err) {
      parentPort.postMessage({ id: msg.id, ok: false, error: plainError(err) });
    }
  });
  parentPort.postMessage({ op: "ready" });
}
