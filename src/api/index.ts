/**
 * Beside the stages: the HTTP face. In: requests (JSON API under /v1, pages, the console,
 * Atom feeds). Out: JSON, HTML and Atom, read from src/store; writes go through the stages'
 * own functions. Domain errors from any stage become application/problem+json (RFC 9457)
 * here and only here (problem.ts).
 */
export { createApp } from "./app";
