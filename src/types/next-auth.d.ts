import type { Role } from "@/contracts/auth";

// What Helmdeck keeps in the session JWT and shows in useSession(). The server never trusts
// role or tenant from here: actorFromSession re-reads the user on every request.
declare module "next-auth" {
  interface Session {
    user: { id: string; name: string; email: string; role: Role; tenantId: string | null };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    /** The sessions row this cookie stands for; sign-out revokes it. */
    sid?: string;
    role?: Role;
    tenantId?: string | null;
  }
}
