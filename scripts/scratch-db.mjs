// A PostgreSQL database of its own for one test or benchmark run, dropped afterwards.
// TEST_DATABASE_URL points at the server; its database part is only used to connect.
import postgres from "postgres";

export const SERVER_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** Create a fresh database named `<prefix>_<time>_<pid>`; returns its URL and a function that drops it. */
export async function createScratchDatabase(prefix) {
  const name = `${prefix}_${Date.now()}_${process.pid}`;
  const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const drop = async () => {
    const sql = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
    await sql.unsafe(`drop database if exists "${name}" with (force)`).catch(() => {});
    await sql.end();
  };
  return { name, url: url.toString(), drop };
}
