// The benchmark's flags, sizes and targets: one place, read by the orchestrator and every scenario.
// The flags are documented in bench/run.mjs's header.
import crypto from "node:crypto";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "..");
export const LOG_DIR = path.join(root, "bench", ".logs");
export const PG_BASE = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
export const ADMIN_TOKEN = `cs_admin_bench_${crypto.randomBytes(24).toString("base64url")}`;
// Reviewers sign in to mint their own approving tokens (nobody else may), so the server needs a session key.
export const AUTH_SECRET = crypto.randomBytes(32).toString("base64url");
export const PASSWORD = "bench-password-123";

const argv = process.argv.slice(2);
const args = new Set(argv);
const valueOf = (name) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? null;
const known = ["--quick", "--no-build", "--keep-db", "--profile", "--no-1m", "--scale", "--no-bare"];
const unknown = argv.filter((a) => !known.includes(a) && !/^--(only|port)=/.test(a));
if (unknown.length) throw new Error(`unknown flag(s): ${unknown.join(" ")} (see the header of bench/run.mjs)`);

export const QUICK = args.has("--quick");
export const NO_BUILD = args.has("--no-build");
export const KEEP_DB = args.has("--keep-db");
export const PROFILE = args.has("--profile");
export const SCALE = args.has("--scale");
export const NO_BARE = args.has("--no-bare");
export const ONLY = valueOf("only");
if (ONLY !== null && ONLY !== "postgres" && ONLY !== "pglite") throw new Error(`--only takes postgres or pglite, not ${ONLY}`);
/** First of three consecutive ports: the PostgreSQL server, the PGlite server, the bare Next.js app. */
const PORT = Number(valueOf("port") ?? process.env.BENCH_PORT ?? 3300);
if (!Number.isInteger(PORT) || PORT < 1024 || PORT > 65533) throw new Error(`--port takes a port number, not ${valueOf("port")}`);

// The growth ladder's pending counts. The 1M rung seeds ~900k more jobs after the other scenarios:
// about two minutes on the quiet machine (an estimate from the ~100 s the reference data set's 1.1M rows
// took there); --no-1m leaves it out.
const ladder = QUICK ? [1_000, 10_000, 100_000] : [10_000, 100_000, 1_000_000];
if (args.has("--no-1m")) ladder.pop();

export const CFG = {
  // The throughput and latency scenarios run on the ladder's second rung (the reference data set).
  ladder,
  pending: ladder[1],
  resolved: QUICK ? 100_000 : 1_000_000,
  // --quick --scale only checks the path: 100k more resolved, not 10×.
  scaleResolved: QUICK ? 200_000 : 10_000_000,
  duration: QUICK ? 3 : 10,
  warmup: QUICK ? 1 : 3,
  // Open-loop and one-connection runs: longer, since their p99 rests on the slowest 1 % of the samples.
  openDuration: QUICK ? 3 : 20,
  openWarmup: QUICK ? 1 : 2,
  seqDuration: QUICK ? 2 : 10,
  fixedRate: 100,
  connections: 50,
  evalIterations: QUICK ? 200_000 : 1_000_000,
  evalRules: 1000,
  generatedRules: 42, // + the default policy's 8 = 50 rules
  deepPages: 50,
  // The ladder's deep page sits at the same depth on every rung, so the rungs differ only in size.
  ladderDepth: QUICK ? 400 : 5_000,
  pgPort: PORT,
  pglitePort: PORT + 1,
  barePort: PORT + 2,
  pgliteSeed: QUICK ? 300 : 1000,
};

export const TARGETS = {
  submitRatio: 0.6,
  queueRatio: 0.6,
  approveRatio: 0.4,
  openP99: 50,
  growth: 1.5,
  metricsMs: 300,
  agentP50: 5,
  evalUs: 5,
  pgliteRatio: 0.3,
  rssMb: 400,
};
