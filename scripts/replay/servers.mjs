// The two local servers a replay needs: a feed server that plays the corpus tick by tick,
// and a webhook receiver that verifies Standard Webhooks signatures as a subscriber would.
import { createServer } from "node:http";
import { Webhook } from "standardwebhooks";
import { renderFeed } from "./feeds.mjs";

function listen(server) {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server.address().port));
  });
}

function close(server) {
  return new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}

/**
 * Serves each corpus feed at `/<feed id>` as it looks at the current tick (`setTick`), with
 * ETag / If-None-Match (RFC 9110 §13.1.2) so conditional GETs behave as with a real publisher.
 */
export async function startFeedServer(corpus) {
  let tickIndex = 0;
  const requests = [];
  const feeds = new Map(corpus.feeds.map((feed) => [feed.id, feed]));
  const server = createServer((req, res) => {
    const path = new URL(req.url, "http://feed.local").pathname.replace(/^\/+/, "");
    const feed = feeds.get(path);
    requests.push({
      tick: tickIndex,
      feed: feed?.id ?? null,
      path,
      conditional: Boolean(req.headers["if-none-match"]),
    });
    if (!feed || req.method !== "GET") {
      res.writeHead(404, { "content-type": "text/plain" }).end("no such feed");
      return;
    }
    const { body, contentType, etag } = renderFeed(corpus, feed, tickIndex, `${base}/${feed.id}`);
    if (req.headers["if-none-match"] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    res.writeHead(200, { "content-type": contentType, etag, "content-length": body.length }).end(body);
  });
  const port = await listen(server);
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    feedUrl: (feedId) => `${base}/${feedId}`,
    setTick(index) {
      tickIndex = index;
    },
    requests,
    close: () => close(server),
  };
}

/**
 * Receives webhook deliveries, verifies each with the standardwebhooks library, and records
 * it with the tick it arrived in. Bad signatures are answered 401 and recorded as such.
 */
export async function startWebhookReceiver({ onDelivery } = {}) {
  let verifier = null;
  let tickIndex = 0;
  let lastArrival = Date.now();
  const deliveries = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      lastArrival = Date.now();
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = {
        "webhook-id": req.headers["webhook-id"],
        "webhook-timestamp": req.headers["webhook-timestamp"],
        "webhook-signature": req.headers["webhook-signature"],
      };
      let payload = null;
      let verified = false;
      let error = null;
      try {
        if (!verifier) throw new Error("no secret yet");
        payload = verifier.verify(body, headers);
        verified = true;
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      const delivery = {
        tick: tickIndex,
        receivedAt: new Date().toISOString(),
        webhookId: headers["webhook-id"] ?? null,
        verified,
        error,
        payload,
      };
      deliveries.push(delivery);
      res.writeHead(verified ? 204 : 401).end();
      if (verified) onDelivery?.(delivery);
    });
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}/hook`,
    setSecret(secret) {
      verifier = new Webhook(secret);
    },
    setTick(index) {
      tickIndex = index;
    },
    deliveries,
    msSinceLastArrival: () => Date.now() - lastArrival,
    close: () => close(server),
  };
}
