import { SELF } from "cloudflare:test";

export const TEST_TOKEN = "test-token";

/** Calls the Worker under test through its real fetch handler, with a valid token. */
export function api(path: string, init: RequestInit & { json?: unknown; token?: string | null } = {}) {
  const { json, token = TEST_TOKEN, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (token !== null) headers.set("authorization", `Bearer ${token}`);
  if (json !== undefined) headers.set("content-type", "application/json");
  return SELF.fetch(`https://storywatch.test${path}`, {
    ...rest,
    headers,
    body: json !== undefined ? JSON.stringify(json) : rest.body,
  });
}
