// A secret from the environment, else generated once into .data/ and kept there (never committed).
// Plain JavaScript so that scripts/start.mjs (plain Node) and the app share this one mechanism.
import fs from "node:fs";
import path from "node:path";

const fileOf = (name, root) => path.join(root, ".data", name);

/**
 * `envValue` when set; otherwise the content of `.data/<name>` (under `root`, default the working
 * directory), written by `make()` the first time. Several processes starting together agree on one
 * value: the secret is written whole to a file of its own and linked into place only if no other
 * process got there first (a link never replaces a file), so nobody reads a half-written one.
 */
export function keptSecret(name, envValue, make, root = process.cwd()) {
  if (envValue) return envValue;
  const file = fileOf(name, root);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const draft = `${file}.${process.pid}.${Date.now()}.draft`;
    fs.writeFileSync(draft, `${make()}\n`, { mode: 0o600 });
    try {
      fs.linkSync(draft, file);
    } catch (err) {
      if (err.code !== "EEXIST") throw err;
    } finally {
      fs.unlinkSync(draft);
    }
  }
  return fs.readFileSync(file, "utf8").trim();
}

/** The same secret if it exists, without generating one (for tools that only read). */
export function readKeptSecret(name, envValue, root = process.cwd()) {
  if (envValue) return envValue;
  const file = fileOf(name, root);
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim() : undefined;
}
