"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { signOut } from "next-auth/react";
import type { MeView } from "@/contracts/users";
import { MeProvider, permissions } from "./use-me";
import { Badge, Button, cx } from "./ui";

const NAV = [
  { href: "/", label: "Dashboard" },
  { href: "/releases", label: "Releases" },
  { href: "/needs-upgrade", label: "Needs upgrade" },
  { href: "/batches", label: "Batches", needs: "canRunBatches" as const },
  { href: "/charts", label: "Charts" },
  { href: "/repositories", label: "Repositories", needs: "isPlatformAdmin" as const },
  { href: "/policies", label: "Policies" },
  { href: "/tenants", label: "Tenants" },
  { href: "/webhooks", label: "Webhooks", needs: "canManageWebhooks" as const },
  { href: "/tokens", label: "Tokens", needs: "canManageTokens" as const },
  { href: "/audit", label: "Audit" },
];

function isActive(pathname: string, href: string) {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}

/** The signed-in frame: navigation for what `me` may do, who is signed in, sign-out. */
export function AdminShell({ me, children }: { me: MeView; children: React.ReactNode }) {
  const pathname = usePathname();
  const can = permissions(me);

  return (
    <MeProvider me={me}>
    <div className="flex min-h-screen flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:shadow">
        Skip to content
      </a>
      <header className="border-b border-slate-800 bg-slate-900 text-slate-100">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-2.5">
          <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight text-white">
            <svg aria-hidden viewBox="0 0 24 24" className="size-6 text-sky-400" fill="none" stroke="currentColor" strokeWidth="2">
              <circle cx="12" cy="12" r="9" />
              <circle cx="12" cy="12" r="2.5" />
              <path d="M12 3v6.5M12 14.5V21M3 12h6.5M14.5 12H21" />
            </svg>
            Helmdeck
          </Link>
          <nav aria-label="Main" className="order-3 w-full md:order-none md:w-auto md:flex-1">
            <ul className="flex flex-wrap gap-1">
              {NAV.filter((item) => !item.needs || can[item.needs]).map((item) => (
                <li key={item.href}>
                  <Link
                    href={item.href}
                    aria-current={isActive(pathname, item.href) ? "page" : undefined}
                    className={cx(
                      "block whitespace-nowrap rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-sky-400",
                      isActive(pathname, item.href) ? "bg-slate-700 text-white" : "text-slate-300 hover:bg-slate-800 hover:text-white",
                    )}
                  >
                    {item.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <div className="ml-auto flex items-center gap-3 text-sm" data-testid="whoami">
            {/* The name only where it fits beside the navigation; screen readers always hear it. */}
            <span className="sr-only text-slate-300 2xl:not-sr-only">{me.name}</span>
            <Badge tone="blue" title={me.name}>{me.role}</Badge>
            <span className="text-slate-300">{me.tenantSlug ?? "all tenants"}</span>
            <Button variant="inverse" onClick={() => void signOut({ callbackUrl: "/sign-in" })}>
              Sign out
            </Button>
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto w-full max-w-7xl flex-1 px-4 py-6">
        {children}
      </main>
      <footer className="border-t border-slate-200 py-3 text-center text-xs text-slate-500">Helmdeck · deployments run by the configured driver (simulated by default)</footer>
    </div>
    </MeProvider>
  );
}
