import { DomainError } from "./lib/errors";

/** What the Worker needs from its environment, checked once and then trusted. */
export interface Config {
  apiTokens: string[];
  webhookSecretKey: string;
  allowPrivateNetwork: boolean;
  publicReads: boolean;
  itemRetentionDays: number;
  /** Days runs and finished deliveries are kept. */
  historyRetentionDays: number;
  /** Seconds between delivery attempts; empty means the built-in schedule. */
  webhookRetrySchedule: number[] | null;
  /** Bounds of a feed's check interval, in seconds. */
  pollIntervalBounds: { minS: number; maxS: number };
  /** Seconds before a failed detection is retried; null means exponential backoff. */
  detectionRetryDelaySeconds: number | null;
}

const REQUIRED_BINDINGS = ["DB", "CACHE", "POLLS", "DETECTIONS", "DELIVERIES", "STORYLINES"] as const;
const REQUIRED_SECRETS = ["API_TOKEN", "WEBHOOK_SECRET_KEY"] as const;

/** A missing binding or secret, or a malformed setting: the Worker cannot run until it is fixed. */
export class ConfigError extends DomainError {}

function parseBoolean(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === "") return fallback;
  if (value === true || value === "true" || value === "1") return true;
  if (value === false || value === "false" || value === "0") return false;
  throw new ConfigError(`${name} must be "true" or "false", not ${JSON.stringify(value)}.`);
}

function parsePositiveInt(name: string, value: unknown, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) {
    throw new ConfigError(`${name} must be a positive whole number, not ${JSON.stringify(value)}.`);
  }
  return n;
}

function parseSeconds(name: string, value: unknown): number | null {
  if (value === undefined || value === "") return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new ConfigError(`${name} must be a whole number of seconds (0 or more), not ${JSON.stringify(value)}.`);
  }
  return n;
}

function parseSchedule(value: unknown): number[] | null {
  if (value === undefined || value === "") return null;
  const parts = String(value)
    .split(",")
    .map((part) => part.trim());
  const seconds = parts.map(Number);
  if (seconds.length === 0 || seconds.some((s) => !Number.isFinite(s) || s < 0)) {
    throw new ConfigError(
      `WEBHOOK_RETRY_SCHEDULE must be comma-separated seconds such as "0,5,300", not ${JSON.stringify(value)}.`,
    );
  }
  return seconds;
}

function parsePollBounds(env: Record<string, unknown>): { minS: number; maxS: number } {
  const min = parsePositiveInt("POLL_MIN_INTERVAL_MINUTES", env.POLL_MIN_INTERVAL_MINUTES, 5);
  const max = parsePositiveInt("POLL_MAX_INTERVAL_MINUTES", env.POLL_MAX_INTERVAL_MINUTES, 60);
  if (min > max) {
    throw new ConfigError(
      `POLL_MIN_INTERVAL_MINUTES (${min}) must not exceed POLL_MAX_INTERVAL_MINUTES (${max}): lower the first or raise the second.`,
    );
  }
  return { minS: min * 60, maxS: max * 60 };
}

export function readConfig(env: Record<string, unknown>): Config {
  const missing = [
    ...REQUIRED_BINDINGS.filter((name) => env[name] == null),
    ...REQUIRED_SECRETS.filter((name) => typeof env[name] !== "string" || env[name] === ""),
  ];
  if (missing.length > 0) {
    throw new ConfigError(
      `Missing ${missing.length === 1 ? "binding or secret" : "bindings or secrets"}: ${missing.join(", ")}. ` +
        "Declare bindings in wrangler.toml and set secrets with `wrangler secret put NAME` (locally in .dev.vars).",
    );
  }
  const apiTokens = String(env.API_TOKEN)
    .split(",")
    .map((token) => token.trim())
    .filter(Boolean);
  if (apiTokens.length === 0) {
    throw new ConfigError("API_TOKEN holds no token: set it to one or more comma-separated tokens.");
  }
  return {
    apiTokens,
    webhookSecretKey: String(env.WEBHOOK_SECRET_KEY),
    allowPrivateNetwork: parseBoolean("ALLOW_PRIVATE_NETWORK", env.ALLOW_PRIVATE_NETWORK, false),
    publicReads: parseBoolean("PUBLIC_READS", env.PUBLIC_READS, false),
    itemRetentionDays: parsePositiveInt("ITEM_RETENTION_DAYS", env.ITEM_RETENTION_DAYS, 90),
    historyRetentionDays: parsePositiveInt("HISTORY_RETENTION_DAYS", env.HISTORY_RETENTION_DAYS, 30),
    webhookRetrySchedule: parseSchedule(env.WEBHOOK_RETRY_SCHEDULE),
    pollIntervalBounds: parsePollBounds(env),
    detectionRetryDelaySeconds: parseSeconds("DETECTION_RETRY_DELAY_SECONDS", env.DETECTION_RETRY_DELAY_SECONDS),
  };
}

// The env object is created once per isolate, so the check runs once per isolate start;
// a bad config fails every request the same way until it is fixed.
const checked = new WeakMap<object, Config | ConfigError>();

export function getConfig(env: Env): Config {
  let result = checked.get(env);
  if (!result) {
    try {
      result = readConfig(env as unknown as Record<string, unknown>);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      result = error;
    }
    checked.set(env, result);
  }
  if (result instanceof ConfigError) throw result;
  return result;
}
