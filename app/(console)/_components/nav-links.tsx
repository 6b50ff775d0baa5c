"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { queueHref } from "@/lib/client/queue-scope";
import { useQueueScope } from "@/lib/client/use-queue-scope";
import { useViewer } from "./viewer-context";

const MANAGER_ROLES = ["manager", "eng-manager", "admin"];

export function NavLinks() {
  const path = usePathname();
  const viewer = useViewer();
  const scope = useQueueScope();
  const links = [
    // The remembered choice (what I can act on, or everything) rides in the link.
    { href: viewer.scopes.includes("approvals:resolve") ? queueHref(scope) : "/queue", label: "Queue" },
    { href: "/history", label: "History" },
    { href: "/standing", label: "Standing approvals" },
    { href: "/policy", label: "Policy" },
    ...(viewer.roles.some((r) => MANAGER_ROLES.includes(r)) ? [{ href: "/metrics", label: "Metrics" }] : []),
    ...(viewer.scopes.includes("audit:read") ? [{ href: "/audit", label: "Audit" }] : []),
    { href: "/settings", label: "Settings" },
    // Admins only: the pages would refuse anyone else, so nobody else is shown the way there.
    ...(viewer.scopes.includes("admin")
      ? [
          { href: "/people", label: "People" },
          { href: "/tokens", label: "Tokens" },
        ]
      : []),
  ];
  return (
    <nav aria-label="Console" className="flex flex-wrap gap-1 text-sm">
      {links.map((l) => {
        const base = l.href.split("?")[0]!;
        const current = path === base || path.startsWith(`${base}/`);
        return (
          <Link
            key={l.href}
            href={l.href}
            aria-current={current ? "page" : undefined}
            className={`rounded-md px-3 py-1 ${current ? "bg-slate-900 text-white" : "text-slate-700 hover:bg-slate-100"}`}
          >
            {l.label}
          </Link>
        );
      })}
    </nav>
  );
}
