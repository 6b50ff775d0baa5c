import type { ReactNode } from "react";
import { requireCtx, toViewer } from "@/lib/auth/viewer";
import { signOutAction } from "@/app/signin/actions";
import { ConnectionBanner } from "@/components/approvals/connection-banner";
import { LiveUpdates } from "./_components/live-updates";
import { NavLinks } from "./_components/nav-links";
import { ViewerProvider } from "./_components/viewer-context";

// Every console page depends on who is signed in: never prerender or cache one.
export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const { principal } = await requireCtx();
  const viewer = toViewer(principal);
  return (
    <ViewerProvider viewer={viewer}>
      <LiveUpdates />
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <header className="sticky top-0 z-20 border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-2">
          <span className="text-base font-bold tracking-tight">Countersign</span>
          <NavLinks />
          <div className="ml-auto flex items-center gap-3 text-sm">
            <span className="hidden text-slate-600 sm:inline" title={viewer.roles.join(", ")}>
              {viewer.email}
              {viewer.roles.length > 0 && <span className="ml-1 text-slate-500">({viewer.roles.join(", ")})</span>}
            </span>
            <form action={signOutAction}>
              <button type="submit" className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100">
                Sign out
              </button>
            </form>
          </div>
        </div>
        <ConnectionBanner />
      </header>
      <main id="main" className="mx-auto max-w-7xl px-4 py-4">
        {children}
      </main>
    </ViewerProvider>
  );
}
