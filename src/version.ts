/** Reported by GET /v1/health and in the OpenAPI document; keep in step with package.json. */
export const VERSION = "0.1.0";
