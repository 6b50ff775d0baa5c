import "server-only";
import dns from "node:dns";
import net from "node:net";

// Addresses a webhook must never reach unless explicitly allowed: a callback URL is chosen by an agent,
// and without this it could make the server probe the internal network or cloud metadata.
const blocked = new net.BlockList();
for (const [addr, prefix] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16],
  ["172.16.0.0", 12], ["192.0.0.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["224.0.0.0", 3],
] as const) blocked.addSubnet(addr, prefix, "ipv4");
for (const [addr, prefix] of [["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8]] as const) blocked.addSubnet(addr, prefix, "ipv6");

/** Whether an address is private, loopback, link-local or otherwise not on the public internet. */
export function isInternalAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return blocked.check(address, "ipv4");
  if (family === 6) {
    // An IPv4-mapped IPv6 address is judged as the IPv4 address it carries.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    return mapped ? blocked.check(mapped[1]!, "ipv4") : blocked.check(address, "ipv6");
  }
  return true;
}

export class RefusedAddress extends Error {
  constructor(host: string, address: string) {
    super(`refused: ${host} resolves to ${address}, an internal address (allow it with COUNTERSIGN_WEBHOOK_ALLOW)`);
    this.name = "RefusedAddress";
  }
}

/**
 * For a URL host that is an IP literal (no lookup happens for those): the refusal, or null if it may be
 * reached. Host names are checked by `guardedLookup` instead.
 */
export function refuseLiteral(hostname: string, allow: ReadonlySet<string>): RefusedAddress | null {
  const address = hostname.replace(/^\[|\]$/g, "");
  if (!net.isIP(address)) return null;
  return isInternalAddress(address) && !allow.has(address.toLowerCase()) ? new RefusedAddress(hostname, address) : null;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request that refuses internal addresses. The check is on the address actually
 * connected to, so a DNS answer that changes between check and connect (rebinding) cannot slip through.
 * `allow` names hosts (as written in the URL) or addresses that may be internal, e.g. "127.0.0.1".
 */
export function guardedLookup(allow: ReadonlySet<string>) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "", 0);
      const list = addresses as dns.LookupAddress[];
      const allowedHost = allow.has(hostname.toLowerCase());
      const bad = list.find((a) => isInternalAddress(a.address) && !allowedHost && !allow.has(a.address));
      if (bad) return callback(new RefusedAddress(hostname, bad.address) as NodeJS.ErrnoException, "", 0);
      if (options.all) return callback(null, list);
      const first = list[0];
      if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), "", 0);
      callback(null, first.address, first.family);
    });
  };
}
