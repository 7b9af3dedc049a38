import { UrlInvalid, UrlRefused } from "./errors";

/**
 * The address check for every URL we fetch on a user's behalf (feeds, every redirect hop,
 * webhooks). WHATWG URL parsing already turns every IPv4 spelling (127.1, 0x7f000001,
 * 2130706433, 0177.0.0.1) into dotted decimal and IPv6 into its compressed form, so the
 * checks below run on the parsed hostname only. A name that resolves to a private address
 * is beyond a string check; `global_fetch_strictly_public` covers that in production.
 */

export interface UrlGuardOptions {
  allowPrivateNetwork: boolean;
  /** The request field the URL came from, named in the error (e.g. "url"). */
  field?: string;
}

/** Host names that always mean "this machine" or a cloud metadata service. */
const BLOCKED_HOSTNAMES = new Set([
  "localhost",
  "localhost.localdomain",
  "ip6-localhost",
  "ip6-loopback",
  "metadata",
  "metadata.google.internal",
  "metadata.goog",
  "metadata.azure.internal",
  "instance-data",
  "instance-data.ec2.internal",
]);

/** Suffixes (RFC 6761 special-use and cloud-internal names) that never name a public host. */
const BLOCKED_SUFFIXES = [".localhost", ".local", ".internal", ".localdomain", ".home.arpa", ".onion"];

/** [first address as 32-bit number, prefix length, reason] — RFC 6890 special-purpose IPv4. */
const BLOCKED_V4: Array<[number, number, string]> = [
  [ipv4(0, 0, 0, 0), 8, "the unspecified/this-network range 0.0.0.0/8"],
  [ipv4(10, 0, 0, 0), 8, "a private address (10.0.0.0/8)"],
  [ipv4(100, 64, 0, 0), 10, "a carrier-grade NAT address (100.64.0.0/10)"],
  [ipv4(127, 0, 0, 0), 8, "a loopback address (127.0.0.0/8)"],
  [ipv4(169, 254, 0, 0), 16, "a link-local or cloud metadata address (169.254.0.0/16)"],
  [ipv4(172, 16, 0, 0), 12, "a private address (172.16.0.0/12)"],
  [ipv4(192, 0, 0, 0), 24, "an IETF protocol address (192.0.0.0/24)"],
  [ipv4(192, 0, 2, 0), 24, "a documentation address (192.0.2.0/24)"],
  [ipv4(192, 88, 99, 0), 24, "a 6to4 relay address (192.88.99.0/24)"],
  [ipv4(192, 168, 0, 0), 16, "a private address (192.168.0.0/16)"],
  [ipv4(198, 18, 0, 0), 15, "a benchmarking address (198.18.0.0/15)"],
  [ipv4(198, 51, 100, 0), 24, "a documentation address (198.51.100.0/24)"],
  [ipv4(203, 0, 113, 0), 24, "a documentation address (203.0.113.0/24)"],
  [ipv4(224, 0, 0, 0), 4, "a multicast address (224.0.0.0/4)"],
  [ipv4(240, 0, 0, 0), 4, "a reserved or broadcast address (240.0.0.0/4)"],
];

function ipv4(a: number, b: number, c: number, d: number): number {
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

/** Parses dotted-decimal IPv4 (as WHATWG URL leaves it) to a 32-bit number, else null. */
function parseDottedV4(host: string): number | null {
  const parts = host.split(".");
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    value = value * 256 + n;
  }
  return value >>> 0;
}

function v4Reason(address: number): string | null {
  for (const [base, prefix, reason] of BLOCKED_V4) {
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    if ((address & mask) >>> 0 === base) return reason;
  }
  return null;
}

/** Expands an IPv6 literal (without brackets) to 8 16-bit groups, else null. */
function parseV6(host: string): number[] | null {
  let text = host;
  // A trailing dotted IPv4 (e.g. ::ffff:127.0.0.1) becomes two groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const v4 = parseDottedV4(dotted[1]);
    if (v4 === null) return null;
    text = `${text.slice(0, -dotted[1].length)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return null;
  const groups = [...head, ...new Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  const numbers = groups.map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? Number.parseInt(g, 16) : Number.NaN));
  return numbers.some(Number.isNaN) ? null : numbers;
}

function v6Reason(groups: number[]): string | null {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = groups;
  const embeddedV4 = ((g6 << 16) | g7) >>> 0;
  if (groups.every((g) => g === 0)) return "the unspecified IPv6 address (::)";
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0 && g6 === 0 && g7 === 1)
    return "the IPv6 loopback address (::1)";
  // ::ffff:a.b.c.d (IPv4-mapped, RFC 4291 §2.5.5.2) and ::a.b.c.d (deprecated IPv4-compatible).
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && (g5 === 0xffff || g5 === 0)) {
    const reason = v4Reason(embeddedV4);
    return reason ? `an IPv4-mapped IPv6 address of ${reason}` : null;
  }
  // 64:ff9b::/96 NAT64 (RFC 6052) embeds an IPv4 address too.
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) {
    const reason = v4Reason(embeddedV4);
    return reason ? `a NAT64 IPv6 address of ${reason}` : null;
  }
  // 2002::/16 6to4 (RFC 3056) embeds the IPv4 address in groups 1-2.
  if (g0 === 0x2002) {
    const reason = v4Reason(((g1 << 16) | g2) >>> 0);
    if (reason) return `a 6to4 IPv6 address of ${reason}`;
  }
  if ((g0 & 0xfe00) === 0xfc00) return "a unique local IPv6 address (fc00::/7)";
  if ((g0 & 0xffc0) === 0xfe80) return "a link-local IPv6 address (fe80::/10)";
  if ((g0 & 0xffc0) === 0xfec0) return "a site-local IPv6 address (fec0::/10)";
  if ((g0 & 0xff00) === 0xff00) return "a multicast IPv6 address (ff00::/8)";
  if (g0 === 0x2001 && g1 === 0xdb8) return "a documentation IPv6 address (2001:db8::/32)";
  // AWS's IPv6 instance metadata endpoint fd00:ec2::254 is ULA, caught above.
  return null;
}

/** Why this hostname (as WHATWG URL serialises it) must not be fetched, or null. */
export function privateHostReason(hostname: string): string | null {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (host.startsWith("[") && host.endsWith("]")) {
    const groups = parseV6(host.slice(1, -1));
    return groups ? v6Reason(groups) : "an IPv6 literal that cannot be read";
  }
  const v4 = parseDottedV4(host);
  if (v4 !== null) return v4Reason(v4);
  if (host === "" || !host.includes(".")) {
    return BLOCKED_HOSTNAMES.has(host) || host === ""
      ? `the local host name "${host}"`
      : `the single-label host name "${host}" (an intranet name, not a public one)`;
  }
  if (BLOCKED_HOSTNAMES.has(host)) return `the local or metadata host name "${host}"`;
  for (const suffix of BLOCKED_SUFFIXES) {
    if (host.endsWith(suffix)) return `the host name "${host}", which is local-only (*${suffix})`;
  }
  return null;
}

/**
 * Parses and checks a user-supplied URL. Throws UrlInvalid (not http(s), credentials,
 * unparsable) or UrlRefused (a private, loopback, link-local, metadata, CGNAT, multicast or
 * otherwise non-public target, unless allowPrivateNetwork).
 */
export function checkPublicUrl(raw: string, options: UrlGuardOptions): URL {
  const field = options.field ?? "url";
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new UrlInvalid(field, raw, "it is not an absolute URL; give one such as https://news.example/feed.xml");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UrlInvalid(field, raw, `the scheme ${url.protocol.replace(/:$/, "")} is not allowed; use http or https`);
  }
  if (url.username !== "" || url.password !== "") {
    throw new UrlInvalid(field, raw, "it holds credentials (user:password@); remove them from the URL");
  }
  if (url.hostname === "") throw new UrlInvalid(field, raw, "it has no host");
  if (options.allowPrivateNetwork) return url;
  const reason = privateHostReason(url.hostname);
  if (reason) throw new UrlRefused(field, raw, reason);
  return url;
}
