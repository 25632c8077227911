import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto max-w-xl p-10">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="mt-2 text-slate-600">There is nothing at this address, or you may not see it.</p>
      <Link href="/" className="mt-4 inline-block text-sky-800 underline">
        Back to the dashboard
      </Link>
    </main>
  );
}
