// The floor of any HTTP answer on this machine: a bare node:http server answering every
// request with the same bytes (BARE_BODY), for `npm run bench` to set the app against.
import { createServer } from "node:http";

const body = Buffer.from(process.env.BARE_BODY ?? "{}");
const server = createServer((req, res) => {
  res.writeHead(200, { "Content-Type": "application/json", "Content-Length": body.length, "Cache-Control": "no-store" });
  res.end(body);
});
server.listen(0, "127.0.0.1", () => process.send?.({ port: server.address().port }));
process.on("disconnect", () => server.close(() => process.exit(0)));
