// The embedded database's own thread: PGlite (PostgreSQL compiled to WebAssembly) runs every statement
// synchronously on the thread that holds it, so in the server's thread it would stall every request
// while it works. Here it gets a thread (and a core) of its own; lib/db/pglite-remote.ts is the other end.
// Plain JavaScript, loaded by path at run time (not bundled).
import { parentPort, workerData } from "node:worker_threads";
import { PGlite, parse, protocol, types } from "@electric-sql/pglite";

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

// Initialising only (see initialiseDataDir in pglite-remote.ts): create the cluster, close it, and end.
if (workerData.initialiseOnly) {
  const fresh = await PGlite.create(workerData.dataDir);
  await fresh.close();
  process.exit(0);
}

const db = await PGlite.create(workerData.dataDir).catch((err) => {
  parentPort.postMessage({ op: "failed", error: plainError(err) });
  return null;
});

// Named prepared statements. PGlite's query() sends every statement through Parse, two Describes,
// Bind, Execute and Sync (six calls into WebAssembly, parsed and planned every time); a statement seen
// before is sent here as one Bind/Execute/Sync, its plan cached by PostgreSQL. Same results, same
// errors: the parameters are serialised and the rows parsed with PGlite's own serialisers and parsers.
const S = protocol.serialize;
const MAX_PREPARED = 500; // distinct statement texts; past that, new texts take PGlite's own path
const prepared = new Map();
let named = 0;

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

async function prepare(sql) {
  const name = `cs_${++named}`;
  const res = await db.execProtocol(concat(S.parse({ name, text: sql, types: [] }), S.describe({ type: "S", name }), S.sync()));
  const params = res.messages.find((m) => m.name === "parameterDescription");
  const row = res.messages.find((m) => m.name === "rowDescription");
  const statement = { name, oids: params?.dataTypeIDs ?? [], row };
  prepared.set(sql, statement);
  return statement;
}

async function query(sql, params, options) {
  let statement = prepared.get(sql);
  if (!statement && prepared.size < MAX_PREPARED) {
    // A statement PostgreSQL cannot prepare (a syntax error, several commands) goes the ordinary way,
    // which answers the same error as before.
    statement = await prepare(sql).catch(() => null);
  }
  if (!statement) return db.query(sql, params, options);
  const values = params.map((v, i) => {
    if (v === null || v === undefined) return null;
    const serialize = db.serializers[statement.oids[i]];
    return serialize ? serialize(v) : v.toString();
  });
  let res;
  try {
    res = await db.execProtocol(concat(S.bind({ statement: statement.name, values }), S.execute({}), S.sync()));
  } catch (err) {
    // A table changed shape since the statement was prepared ("cached plan must not change result
    // type"): forget it and take the ordinary path; the next use prepares it afresh.
    if (err?.code !== "0A000") throw err;
    prepared.delete(sql);
    return db.query(sql, params, options);
  }
  // Bind/Execute answers rows without their description: it is the one the statement was prepared with.
  const messages = statement.row ? [statement.row, ...res.messages] : res.messages;
  return parse.parseResults(messages, db.parsers, options)[0];
}

// One statement at a time, in the order they arrived (execProtocol does not queue as query() does).
let turn = Promise.resolve();
const serially = (fn) => {
  const run = turn.then(fn, fn);
  turn = run.catch(() => {});
  return run;
};

if (db) {
  const unlisten = new Map();
  parentPort.on("message", async (msg) => {
    try {
      let result;
      switch (msg.op) {
        case "query": {
          const { rowMode = "object", rawTimes = false } = msg.options ?? {};
          const options = { rowMode, ...(rawTimes ? { parsers: RAW_TIMES } : {}) };
          const res = await serially(() => query(msg.sql, msg.params ?? [], options));
          result = { rows: res.rows, fields: res.fields, affectedRows: res.affectedRows };
          break;
        }
        case "exec":
          result = (await serially(() => db.exec(msg.sql))).map((r) => ({ rows: r.rows, fields: r.fields, affectedRows: r.affectedRows }));
          break;
        case "listen":
          if (!unlisten.has(msg.channel)) {
            const stop = await serially(() => db.listen(msg.channel, (payload) => parentPort.postMessage({ op: "notify", channel: msg.channel, payload })));
            unlisten.set(msg.channel, stop);
          }
          break;
        case "unlisten":
          await serially(async () => unlisten.get(msg.channel)?.());
          unlisten.delete(msg.channel);
          break;
        case "close":
          await serially(() => db.close());
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
