import type { App } from "../app";
import { DocsPage, type OpenApiDocument } from "../pages/docs-page";
import { renderDocument } from "../pages/layout";
import { PAGE_HEADERS } from "../pages/routes";

/** GET /docs: the API documentation, rendered from the very document /openapi.json serves. */
export function registerDocsRoutes(app: App): void {
  app.get("/docs", async (c) => {
    const response = await app.request("/openapi.json", { headers: { accept: "application/json" } }, c.env);
    const doc = await response.json<OpenApiDocument>();
    return c.html(renderDocument(DocsPage({ doc })), 200, { ...PAGE_HEADERS, "cache-control": "public, max-age=300" });
  });
}
