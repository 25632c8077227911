export default function Home() {
  return (
    <main className="mx-auto max-w-2xl p-10">
      <h1 className="text-2xl font-semibold">Helmdeck</h1>
      <p className="mt-2 text-slate-600">The REST API is served under /api/v1 and tRPC under /api/trpc.</p>
    </main>
  );
}
