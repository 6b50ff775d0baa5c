"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useViewer } from "./viewer-context";

const MANAGER_ROLES = ["manager", "eng-manager", "admin"];

export function NavLinks() {
  const path = usePathname();
  const viewer = useViewer();
  const links = [
    { href: "/queue", label: "Queue" },
    { href: "/history", label: "History" },
    { href: "/policy", label: "Policy" },
    ...(viewer.roles.some((r) => MANAGER_ROLES.includes(r)) ? [{ href: "/metrics", label: "Metrics" }] : []),
    ...(viewer.scopes.includes("audit:read") ? [{ href: "/audit", label: "Audit" }] : []),
    { href: "/settings", label: "Settings" },
  ];
  return (
    <nav aria-label="Console" className="flex flex-wrap gap-1 text-sm">
      {links.map((l) => {
        const current = path === l.href || path.startsWith(`${l.href}/`);
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
