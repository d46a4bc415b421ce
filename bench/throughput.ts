/**
 * Benchmark 3, static throughput: autocannon against the pillar guide served by `matwise serve`
 * and by plain static file servers on the same machine serving the same dist/client (a node:http
 * server with fs.createReadStream, and nginx when it is installed), side by side: same
 * connections and duration, no Accept-Encoding for any of them, rounds in alternating order.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { rawGet } from "./lib/http";
import { getFreePort, ROOT, startMatwise, startProcess } from "./lib/server";
import { getTreeCpuSeconds } from "./lib/cpu";
import { type Benchmark, type BenchResult, type Verdict } from "./lib/types";

const PATH = "/guides/what-the-research-shows/";
const CONNECTIONS = 10;
const SECONDS = Number(process.env.BENCH_THROUGHPUT_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_THROUGHPUT_ROUNDS ?? 3);
const WARMUP_SECONDS = 3;
const NGINX = "/usr/sbin/nginx";
const MIN_RATIO = 0.8;

interface Target {
  name: string;
  url: string;
  pid: number;
  stop(): Promise<void>;
}

async function startNginx(): Promise<Target | null> {
  if (!existsSync(NGINX)) return null;
  const port = await getFreePort();
  const dir = mkdtempSync(join(tmpdir(), "matwise-bench-nginx-"));
  const conf = join(dir, "nginx.conf");
  // One worker, like the single Node process it is compared with; logging off; sendfile on.
  writeFileSync(
    conf,
    `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    root ${join(ROOT, "dist/client")};
    index index.html;
    gzip off;
  }
}
`,
  );
  const url = `http://127.0.0.1:${port}`;
  const p = await startProcess(NGINX, ["-p", dir, "-c", conf], url, PATH);
  return {
    name: "nginx 1 worker",
    url,
    pid: p.proc.pid ?? 0,
    stop: async () => {
      await p.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startPlainNode(): Promise<Target> {
  const port = await getFreePort();
  const url = `http://127.0.0.1:${port}`;
  const p = await startProcess(
    process.execPath,
    [join(ROOT, "bench/lib/static-server.mjs"), join(ROOT, "dist/client"), String(port)],
    url,
    PATH,
  );
  return { name: "plain node:http + createReadStream", url, pid: p.proc.pid ?? 0, stop: () => p.stop() };
}

interface Sample {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  cpuMsPer1k: number;
  /** Share of one core used by the server and by the load generator during the run. */
  serverCore: number;
  clientCore: number;
}

async function measure(target: Target, seconds: number): Promise<Sample> {
  const cpu0 = getTreeCpuSeconds(target.pid);
  const client0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await autocannon({ url: target.url + PATH, connections: CONNECTIONS, pipelining: 1, duration: seconds });
  const wall = (performance.now() - t0) / 1000;
  const client = process.cpuUsage(client0);
  const cpu = getTreeCpuSeconds(target.pid) - cpu0;
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    cpuMsPer1k: r.requests.total ? (cpu * 1000 * 1000) / r.requests.total : 0,
    serverCore: cpu / wall,
    clientCore: (client.user + client.system) / 1e6 / wall,
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export const throughputBenchmark: Benchmark = {
  name: "throughput",
  title: "Static throughput",
  async run(): Promise<BenchResult> {
    const targets: Target[] = [];
    let nginxNote = "";
    try {
      const mw = await startMatwise();
      targets.push({ name: "matwise serve", url: mw.url, pid: mw.proc.pid ?? 0, stop: () => mw.stop() });
      targets.push(await startPlainNode());
      const nginx = await startNginx();
      if (nginx) targets.push(nginx);
      else
        nginxNote = `nginx is not installed, so it was skipped (to add it: \`apt-get -o DPkg::Lock::Timeout=600 install -y nginx-light\`).`;

      // Every server must send the same page, uncompressed.
      const bodies = await Promise.all(targets.map((t) => rawGet(t.url + PATH, "")));
      const sizes = bodies.map(
        (b, i) =>
          `${targets[i]!.name}: ${b.status}, ${b.bodyBytes} bytes body + ${b.headerBytes} bytes headers, ${b.encoding}`,
      );
      if (bodies.some((b) => b.status !== 200 || !b.body.equals(bodies[0]!.body)))
        throw new Error(`the servers do not send the same page:\n${sizes.join("\n")}`);

      for (const t of targets) await measure(t, WARMUP_SECONDS);
      const samples = new Map<string, Sample[]>(targets.map((t) => [t.name, []]));
      for (let round = 0; round < ROUNDS; round++) {
        // Rotate the order each round so no server always runs first (or right after another).
        const order = targets.map((_, i) => targets[(i + round) % targets.length]!);
        for (const t of order) samples.get(t.name)!.push(await measure(t, SECONDS));
      }

      const summary = targets.map((t) => {
        const s = samples.get(t.name)!;
        return {
          t,
          s,
          rps: median(s.map((x) => x.rps)),
          cpu: median(s.map((x) => x.cpuMsPer1k)),
          serverCore: median(s.map((x) => x.serverCore)),
          clientCore: median(s.map((x) => x.clientCore)),
          p50: median(s.map((x) => x.p50)),
          p99: median(s.map((x) => x.p99)),
          errors: s.reduce((a, x) => a + x.errors + x.non2xx, 0),
        };
      });
      const matwise = summary[0]!;
      const table = [
        "| server | req/s per round | median req/s | vs plain node | median p50 / p99 latency ms | server CPU ms per 1,000 requests | server / load generator CPU, % of one core | errors + non-2xx |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
        ...summary.map(
          (x) =>
            `| ${x.t.name} | ${x.s.map((y) => y.rps.toFixed(0)).join(", ")} | ${x.rps.toFixed(0)} | ${((x.rps / summary[1]!.rps) * 100).toFixed(0)} % | ${x.p50} / ${x.p99} | ${x.cpu.toFixed(0)} | ${(x.serverCore * 100).toFixed(0)} / ${(x.clientCore * 100).toFixed(0)} | ${x.errors} |`,
        ),
      ];
      const verdicts: Verdict[] = summary.slice(1).map((base) => ({
        budget: `Prerendered guide: matwise ≥ 80 % of a plain static server's throughput (brief §6), vs ${base.t.name}`,
        measured: `${((matwise.rps / base.rps) * 100).toFixed(0)} % (${matwise.rps.toFixed(0)} vs ${base.rps.toFixed(0)} req/s, medians of ${ROUNDS} rounds)`,
        met: matwise.rps >= MIN_RATIO * base.rps && matwise.errors === 0,
      }));
      if (nginxNote) verdicts.push({ budget: "Same, vs nginx", measured: nginxNote, met: null });
      const markdown = [
        `autocannon 9 in the bench process, ${CONNECTIONS} connections, no pipelining, against \`${PATH}\` on 127.0.0.1; no \`Accept-Encoding\` header, so every server sends the page uncompressed (checked: the same bytes from each). ${WARMUP_SECONDS} s warm-up per server, then ${ROUNDS} rounds of ${SECONDS} s per server in rotating order; the table gives each round and the median. Server CPU is read from /proc for the server process and its children (a measure that does not depend on the load generator, which runs on the same machine).`,
        "",
        `Responses: ${sizes.join("; ")}.`,
        "",
        ...table,
        ...(nginxNote ? ["", nginxNote] : []),
      ].join("\n");
      return { markdown, verdicts };
    } finally {
      for (const t of targets) await t.stop();
    }
  },
};
