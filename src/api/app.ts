import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { getConfig } from "../config";
import { DomainError } from "../lib/errors";
import { VERSION } from "../version";
import { bearerAuth } from "./auth";
import { registerConsoleRoutes } from "./pages/console-routes";
import { registerPageRoutes } from "./pages/routes";
import { ApiError, internalError, problemFor, problemResponse } from "./problem";
import { registerAtomRoutes } from "./routes/atom";
import { registerDeliveryRoutes } from "./routes/deliveries";
import { registerDevelopmentRoutes } from "./routes/developments";
import { registerDocsRoutes } from "./routes/docs";
import { registerFeedRoutes } from "./routes/feeds";
import { registerHealthRoutes } from "./routes/health";
import { registerQueryRoutes } from "./routes/queries";
import { registerRunRoutes } from "./routes/runs";
import { registerStorylineRoutes } from "./routes/storylines";
import { registerWebhookRoutes } from "./routes/webhooks";
import { validationProblem } from "./validation";

export type AppEnv = { Bindings: Env };
export type App = OpenAPIHono<AppEnv>;

/** Largest request body read, in bytes (256 KB). */
export const MAX_REQUEST_BODY_BYTES = 256 * 1024;

/**
 * Most bytes of a refused body read (and dropped, never kept) so the client gets its 413: a
 * proxy in front (as under `wrangler dev`) drops the connection when the answer comes while
 * the client is still sending. Past this the body is cancelled instead.
 */
const MAX_DISCARDED_BODY_BYTES = 32 * 1024 * 1024;

async function discardBody(request: Request): Promise<void> {
  // A body counted as it streamed in (no Content-Length) is already held by the limiter.
  if (!request.body || request.bodyUsed || request.body.locked) return;
  const reader = request.body.getReader();
  let seen = 0;
  try {
    while (seen <= MAX_DISCARDED_BODY_BYTES) {
      const { done, value } = await reader.read();
      if (done) return;
      seen += value.byteLength;
    }
    await reader.cancel();
  } catch {
    // The client went away: nothing to answer.
  }
}

/** Paths under /v1 that answer without a bearer token. */
const PUBLIC_API_PATHS = new Set(["/v1/health"]);
/** Paths under /v1 whose routes check access themselves (the Atom feed also takes a read-only `?key=`). */
const SELF_AUTHORIZED_API_PATHS = [/^\/v1\/storylines\/[^/]+\/feed\.atom$/];

function toApiError(error: unknown, path: string): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof DomainError) return problemFor(error);
  if (error instanceof HTTPException && error.status === 415) {
    // @hono/zod-openapi refuses a body whose Content-Type the route does not take (RFC 9110 §15.5.16).
    const type = path.endsWith(".opml") ? "text/x-opml" : "application/json";
    return new ApiError({
      status: 415,
      slug: "unsupported-media-type",
      title: "Unsupported media type",
      detail: `Send the body with the header Content-Type: ${type}.`,
      headers: { "accept-post": type },
    });
  }
  if (error instanceof HTTPException) {
    // Hono's own validators throw these, e.g. for a body that is not JSON.
    const status = error.status as ContentfulStatusCode;
    return new ApiError({
      status,
      slug: status === 400 ? "malformed-request" : "http-error",
      title: status === 400 ? "Malformed request" : "Request failed",
      detail:
        status === 400 ? `${error.message}. Send a JSON body with Content-Type: application/json.` : error.message,
    });
  }
  return internalError(error);
}

/** Which methods the app serves for this path (for 405 and its Allow header). */
function allowedMethods(app: App, path: string): string[] {
  const methods = new Set<string>();
  for (const route of app.routes) {
    if (route.method === "ALL" || route.path.includes("*")) continue;
    const pattern = new RegExp(`^${route.path.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/:[^/]+/g, "[^/]+")}$`);
    if (pattern.test(path)) methods.add(route.method);
  }
  if (methods.has("GET")) methods.add("HEAD");
  return [...methods].sort();
}

export function createApp(): App {
  const app: App = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationProblem(result.target, result.error.issues);
    },
  });

  // Bindings and secrets are checked before anything else runs.
  app.use("*", async (c, next) => {
    getConfig(c.env);
    await next();
  });

  // Request bodies are small JSON documents: anything larger is refused before it is read
  // whole (by Content-Length at once, else counted as it streams in).
  app.use(
    "*",
    bodyLimit({
      maxSize: MAX_REQUEST_BODY_BYTES,
      onError: async (c) => {
        await discardBody(c.req.raw);
        return problemResponse(
          new ApiError({
            status: 413,
            slug: "body-too-large",
            title: "Request body too large",
            detail: `The request body is over ${MAX_REQUEST_BODY_BYTES / 1024} KB, the most this API reads; send a smaller one.`,
          }),
          c.req.path,
        );
      },
    }),
  );

  const requireToken = bearerAuth();
  app.use("/v1/*", async (c, next) => {
    const path = c.req.path;
    if (PUBLIC_API_PATHS.has(path) || SELF_AUTHORIZED_API_PATHS.some((pattern) => pattern.test(path))) return next();
    return requireToken(c, next);
  });

  registerHealthRoutes(app);
  registerStorylineRoutes(app);
  registerQueryRoutes(app);
  registerFeedRoutes(app);
  registerRunRoutes(app);
  registerDevelopmentRoutes(app);
  registerWebhookRoutes(app);
  registerDeliveryRoutes(app);
  registerAtomRoutes(app);
  // Before the pages: /storylines/new must not be read as the storyline "new".
  registerConsoleRoutes(app);
  registerPageRoutes(app);
  registerDocsRoutes(app);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: "One of the tokens in the API_TOKEN secret.",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "storywatch API",
      version: VERSION,
      description:
        "Tracks storylines in the news and reports, once, when one moves. Errors are application/problem+json (RFC 9457).",
    },
    security: [{ bearer: [] }],
  });

  app.notFound((c: Context) => {
    const allow = allowedMethods(app, c.req.path);
    if (allow.length > 0) {
      return problemResponse(
        new ApiError({
          status: 405,
          slug: "method-not-allowed",
          title: "Method not allowed",
          detail: `${c.req.method} is not served on ${c.req.path}; use ${allow.join(", ")}.`,
          headers: { allow: allow.join(", ") },
        }),
        c.req.path,
      );
    }
    return problemResponse(
      new ApiError({
        status: 404,
        slug: "not-found",
        title: "Not found",
        detail: `No route for ${c.req.method} ${c.req.path}. See /openapi.json for the API.`,
      }),
      c.req.path,
    );
  });

  app.onError((error, c) => {
    const problem = toApiError(error, c.req.path);
    if (problem.status >= 500) console.error(`${c.req.method} ${c.req.path}:`, problem.cause ?? problem);
    return problemResponse(problem, c.req.path);
  });

  return app;
}
