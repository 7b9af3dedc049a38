/**
 * The detector's saved state, read back: the Storyline Durable Object stores the state as JSON
 * after every batch (src/store/detector-storage.ts), and reads it here before the next one.
 * Every version this code has written loads: version 1 started with an empty memory and gained
 * fields since (the time of the last move, the day an event happened), which an earlier state
 * lacks and which take the values a fresh state has. A state that is not one the detector wrote
 * is refused with what is wrong, never read as empty: an empty memory would alert old news again.
 *
 * The parsed objects are the stored ones, checked in place, not rebuilt: the detector compares
 * facts as JSON, so their key order is kept.
 */
import { DomainError } from "../lib/errors";
import { DETECTOR_STATE_VERSION, type DetectorMemory, type DetectorState, emptyDetectorMemory } from "./types";

/** A saved detector state that this code cannot read. */
export class DetectorStateUnreadable extends DomainError {
  constructor(reason: string) {
    super(
      `The saved detector state cannot be read: ${reason}. Deploy the code that wrote it, or restart the storyline's detection (it rebuilds its state from the stored items).`,
    );
  }
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isStringOrNull = (value: unknown) => value === null || typeof value === "string";
const isStrings = (value: unknown) => Array.isArray(value) && value.every((v) => typeof v === "string");
const isSimHash = (value: unknown) =>
  Array.isArray(value) && value.length === 2 && value.every((v) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff);

function check(ok: boolean, what: string): void {
  if (!ok) throw new DetectorStateUnreadable(what);
}

/** Memory fields that an earlier version 1 state lacks take a fresh state's values. */
export function withMemoryDefaults(m: Partial<DetectorMemory>): DetectorMemory {
  const fresh = emptyDetectorMemory();
  return {
    items: m.items ?? fresh.items,
    order: m.order ?? fresh.order,
    devs: m.devs ?? fresh.devs,
    current: m.current ?? fresh.current,
    movedAt: m.movedAt ?? fresh.movedAt,
    happenedOn: m.happenedOn ?? fresh.happenedOn,
  };
}

/** A saved memory, completed (withMemoryDefaults) and checked. */
export function upgradeMemory(raw: unknown): DetectorMemory {
  check(isObject(raw), "memory is not an object");
  const memory = withMemoryDefaults(raw as Partial<DetectorMemory>);
  check(isObject(memory.items), "memory.items is not an object");
  for (const [id, seen] of Object.entries(memory.items)) {
    check(
      isObject(seen) &&
        typeof seen.h === "string" &&
        isStringOrNull(seen.d) &&
        isSimHash(seen.s) &&
        typeof seen.o === "string",
      `memory.items["${id}"] is not a read item (h, d, s, o)`,
    );
  }
  check(isStrings(memory.order), "memory.order is not a list of item ids");
  check(Array.isArray(memory.devs), "memory.devs is not a list");
  memory.devs.forEach((dev: unknown, i) => {
    check(
      isObject(dev) &&
        typeof dev.key === "string" &&
        isStringOrNull(dev.status) &&
        isObject(dev.facts) &&
        typeof dev.first === "number" &&
        typeof dev.last === "number" &&
        isStrings(dev.outlets) &&
        typeof dev.alerted === "boolean" &&
        typeof dev.baseline === "boolean" &&
        isStrings(dev.updates) &&
        (dev.stems === undefined || isStrings(dev.stems)),
      `memory.devs[${i}] is not a development`,
    );
  });
  check(isStringOrNull(memory.current), "memory.current is not a development key");
  check(Number.isFinite(memory.movedAt), "memory.movedAt is not a time");
  check(isStringOrNull(memory.happenedOn), "memory.happenedOn is not a date");
  return memory;
}

/** A saved state (already parsed from JSON) as the current version. */
export function upgradeDetectorState(raw: unknown): DetectorState {
  check(isObject(raw), "it is not an object");
  const state = raw as Json;
  check(
    state.version === DETECTOR_STATE_VERSION,
    typeof state.version === "number" && state.version > DETECTOR_STATE_VERSION
      ? `it has version ${state.version}, newer than this code reads (${DETECTOR_STATE_VERSION})`
      : `it has no known version (${JSON.stringify(state.version)})`,
  );
  check(isStringOrNull(state.status), "status is not a status word");
  check(isObject(state.facts), "facts is not an object");
  return {
    version: DETECTOR_STATE_VERSION,
    status: state.status as DetectorState["status"],
    facts: state.facts as DetectorState["facts"],
    memory: upgradeMemory(state.memory),
  };
}

/** The state saved as JSON text, as the current version. */
export function parseDetectorState(text: string): DetectorState {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new DetectorStateUnreadable(`it is not JSON (${(error as Error).message})`);
  }
  return upgradeDetectorState(raw);
}
