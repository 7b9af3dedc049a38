#!/usr/bin/env node
/**
 * Memory of a compressed bomb: the real Worker under `wrangler dev` polls a local feed that
 * serves a 4 MB gzip file decompressing to about 4 GB, and this script samples the resident
 * memory of the workerd process (its own process group) every 20 ms while the poll runs.
 * Printed side by side: the file sent without Content-Encoding (our streamed, sniffed
 * decoder) and with `Content-Encoding: gzip` (the runtime's own decoding). Figures only.
 *
 *   node bench/decompress.bench.mjs
 */
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { constants, deflateRawSync } from "node:zlib";
import { startWorker } from "../scripts/replay/worker.mjs";

/** 1 MiB of zeros per 1 KB deflate chunk, full-flushed so the chunk can be repeated. */
function gzipBomb(megabytes) {
  const chunk = deflateRawSync(Buffer.alloc(1 << 20), { finishFlush: constants.Z_FULL_FLUSH });
  const count = Math.floor((megabytes * 1024 * 1024) / chunk.length);
  return {
    bytes: Buffer.concat([
      Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]),
      ...Array.from({ length: count }, () => chunk),
      Buffer.from([0x03, 0x00]),
    ]),
    decoded: count * (1 << 20),
  };
}

/** Resident memory (bytes) of the workerd processes in a process group. */
function workerdRss(groupId) {
  let total = 0;
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      if (Number(fields[2]) !== groupId || !comm.startsWith("workerd")) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${name}/status`, "utf8"));
      if (rss) total += Number(rss[1]) * 1024;
    } catch {}
  }
  return total;
}

const bomb = gzipBomb(4);
const server = createServer((req, res) => {
  const headers = { "content-type": "application/rss+xml", "content-length": String(bomb.bytes.length) };
  if (req.url?.startsWith("/declared")) headers["content-encoding"] = "gzip";
  res.writeHead(200, headers);
  res.end(bomb.bytes);
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const feedBase = `http://127.0.0.1:${server.address().port}`;

const worker = await startWorker({});
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const api = (path, init = {}) =>
  fetch(`${worker.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${worker.token}`, "content-type": "application/json", ...init.headers },
  });
const rows = [];
try {
  for (const [label, path] of [
    ["no Content-Encoding (sniffed, streamed)", "/bare.xml"],
    ["Content-Encoding: gzip (runtime decodes)", "/declared.xml"],
  ]) {
    const created = await api("/v1/feeds", { method: "POST", body: JSON.stringify({ url: `${feedBase}${path}` }) });
    const feed = await created.json();
    if (!created.ok) throw new Error(`POST /v1/feeds: ${JSON.stringify(feed)}`);
    const groupId = worker.pid;
    await new Promise((r) => setTimeout(r, 1000));
    const before = workerdRss(groupId);
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, workerdRss(groupId));
    }, 20);
    const started = Date.now();
    await api("/v1/runs", { method: "POST", body: "{}" });
    let status = null;
    for (let i = 0; i < 600 && !status; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const current = await (await api(`/v1/feeds/${feed.id}`)).json();
      if (current.last_checked_at) status = current.last_status;
    }
    clearInterval(sampler);
    rows.push(
      `| ${label.padEnd(42)} | ${String(status).padEnd(10)} | ${mb(before).padStart(8)} | ${mb(peak).padStart(8)} | ${`+${mb(peak - before)}`.padStart(9)} | ${String(Date.now() - started).padStart(7)} |`,
    );
    await api(`/v1/feeds/${feed.id}`, { method: "DELETE" });
  }
} finally {
  await worker.stop();
  server.close();
}
console.log(
  [
    `compressed bomb: ${mb(bomb.bytes.length)} gzip → ${(bomb.decoded / 1024 ** 3).toFixed(1)} GB, cap 16 MiB; workerd resident memory sampled every 20 ms`,
    `| ${"served as".padEnd(42)} | status     | before   | peak     | growth    | ms      |`,
    `| ${"-".repeat(42)} | ---------- | -------- | -------- | --------- | ------- |`,
    ...rows,
  ].join("\n"),
);
