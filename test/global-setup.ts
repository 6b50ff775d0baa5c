import postgres from "postgres";

/**
 * One fresh PostgreSQL database per test run (the app migrates it on first use), dropped at the end.
 * TEST_DATABASE_URL points at the server; its database part is only used to connect.
 */
export default async function setup() {
  const base = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const name = `countersign_test_${Date.now()}_${process.pid}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();

  const url = new URL(base);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  process.env.COUNTERSIGN_ADMIN_TOKEN ??= "test-installation-admin-token-0123456789";

  return async () => {
    const drop = postgres(base, { max: 1, onnotice: () => {} });
    await drop.unsafe(`drop database if exists "${name}" with (force)`);
    await drop.end();
  };
}
