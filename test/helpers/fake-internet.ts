import { vi } from "vitest";

/** A request as the fake internet saw it. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The caller's redirect mode ("follow", "manual" or "error"); the fake itself never follows. */
  redirect: string;
}

export type FakeHandler = (request: Request, recorded: RecordedRequest) => Response | Promise<Response>;

export interface FakeInternet {
  /** Serve `url` (exact, or every URL starting with it when it ends in `*`). */
  on(url: string, response: FakeHandler | Response | string): FakeInternet;
  /** Serve a sequence: call n gets responses[n], the last one repeats. */
  sequence(url: string, responses: Array<FakeHandler | Response | string>): FakeInternet;
  /** Every request made, in order. */
  readonly requests: RecordedRequest[];
  requestsTo(url: string): RecordedRequest[];
  restore(): void;
}

function toHandler(response: FakeHandler | Response | string): FakeHandler {
  if (typeof response === "function") return response;
  if (typeof response === "string") return () => new Response(response, { status: 200 });
  // A Response body can be read once: hand out clones.
  return () => response.clone();
}

/**
 * Routes every outbound `fetch` made in this isolate (tests, the Worker under test, its
 * queue consumers and Durable Objects all share it) to fixture handlers, and records each
 * request. An unrouted URL fails like an unreachable host, so nothing leaks to the network.
 */
export function fakeInternet(): FakeInternet {
  const routes: Array<{ url: string; prefix: boolean; handler: FakeHandler }> = [];
  const requests: RecordedRequest[] = [];

  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input as RequestInfo, init as RequestInit);
    const recorded: RecordedRequest = {
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body: request.body ? await request.clone().text() : "",
      redirect: request.redirect,
    };
    requests.push(recorded);
    // Later routes win, so a test can override a default.
    for (let i = routes.length - 1; i >= 0; i--) {
      const route = routes[i];
      if (!route) continue;
      if (route.prefix ? request.url.startsWith(route.url) : request.url === route.url) {
        return route.handler(request, recorded);
      }
    }
    throw new TypeError(`fake internet: no route for ${request.method} ${request.url}`);
  });

  const internet: FakeInternet = {
    on(url, response) {
      const prefix = url.endsWith("*");
      routes.push({ url: prefix ? url.slice(0, -1) : url, prefix, handler: toHandler(response) });
      return internet;
    },
    sequence(url, responses) {
      const handlers = responses.map(toHandler);
      let calls = 0;
      return internet.on(url, (request, recorded) => {
        const handler = handlers[Math.min(calls++, handlers.length - 1)];
        if (!handler) throw new Error(`fake internet: empty sequence for ${url}`);
        return handler(request, recorded);
      });
    },
    requests,
    requestsTo: (url) => requests.filter((r) => r.url === url || r.url.startsWith(url)),
    restore: () => spy.mockRestore(),
  };
  return internet;
}
