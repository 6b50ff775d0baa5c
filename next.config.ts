import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite ships WASM and the postgres driver opens sockets: keep both out of the server bundle.
  serverExternalPackages: ["@electric-sql/pglite", "postgres"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
