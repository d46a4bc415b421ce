// A plain static file server, the baseline of the throughput benchmark: node:http, a stat and
// fs.createReadStream per request, no compression, no caching. Usage: node static-server.mjs ROOT PORT
import { createReadStream, stat } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize } from "node:path";

const [root = "dist/client", port = "8080"] = process.argv.slice(2);
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
  ".xml": "application/xml; charset=utf-8",
  ".json": "application/json; charset=utf-8",
};

function send(res, file, size) {
  res.writeHead(200, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream", "Content-Length": size });
  createReadStream(file).pipe(res);
}

createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname));
  if (path.includes("..")) return void res.writeHead(400).end();
  let file = join(root, path.endsWith("/") ? `${path}index.html` : path);
  stat(file, (err, st) => {
    if (!err && st.isFile()) return send(res, file, st.size);
    file = join(root, path, "index.html");
    stat(file, (err2, st2) => (!err2 && st2.isFile() ? send(res, file, st2.size) : res.writeHead(404).end()));
  });
}).listen(Number(port), "127.0.0.1", () => console.log(`static server on ${port}`));
