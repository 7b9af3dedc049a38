import { describe, expect, it } from "vitest";
import { type ApiError, problemFor } from "../../src/api/problem";
import { UrlInvalid, UrlRefused } from "../../src/feeds/errors";
import { checkPublicUrl, type UrlGuardOptions } from "../../src/feeds/url-guard";

const strict: UrlGuardOptions = { allowPrivateNetwork: false };

/** The guard's domain error for `raw`, as the API answers it. */
function refusal(raw: string, options = strict): ApiError {
  try {
    checkPublicUrl(raw, options);
  } catch (error) {
    if (error instanceof UrlInvalid || error instanceof UrlRefused) return problemFor(error);
    throw error;
  }
  throw new Error(`${raw} was accepted`);
}

describe("url guard: schemes and credentials", () => {
  it("throws typed errors without HTTP in them: UrlInvalid, UrlRefused", () => {
    expect(() => checkPublicUrl("ftp://news.example/feed", strict)).toThrow(UrlInvalid);
    expect(() => checkPublicUrl("http://127.0.0.1/", strict)).toThrow(UrlRefused);
    try {
      checkPublicUrl("http://10.0.0.1/", { allowPrivateNetwork: false, field: "body.url" });
    } catch (error) {
      expect(error).toMatchObject({
        field: "body.url",
        raw: "http://10.0.0.1/",
        reason: expect.stringMatching(/private/),
      });
      expect(error).not.toHaveProperty("status");
    }
    expect.assertions(4);
  });

  it("accepts public http and https URLs and returns the parsed URL", () => {
    expect(checkPublicUrl("https://news.example/feed.xml", strict).href).toBe("https://news.example/feed.xml");
    expect(checkPublicUrl("  http://8.8.8.8:8080/rss ", strict).host).toBe("8.8.8.8:8080");
    expect(checkPublicUrl("https://[2606:4700::1111]/feed", strict).hostname).toBe("[2606:4700::1111]");
  });

  it("refuses other schemes, credentials and garbage as invalid-url", () => {
    for (const raw of [
      "ftp://news.example/feed",
      "file:///etc/passwd",
      "javascript:alert(1)",
      "gopher://news.example/",
      "https://user:pw@news.example/feed",
      "https://user@news.example/feed",
      "not a url",
      "/relative/feed.xml",
    ]) {
      const error = refusal(raw);
      expect(error.status, raw).toBe(400);
      expect(error.slug, raw).toBe("invalid-url");
    }
    expect(refusal("https://user:pw@news.example/").detail).toMatch(/credentials/);
    expect(refusal("file:///etc/passwd").detail).toMatch(/scheme file/);
  });
});

describe("url guard: every spelling of a private address", () => {
  const cases: Array<[string, RegExp]> = [
    ["http://127.0.0.1/", /loopback/],
    ["http://127.1/", /loopback/],
    ["http://0x7f000001/", /loopback/],
    ["http://2130706433/", /loopback/],
    ["http://0177.0.0.1/", /loopback/],
    ["http://0x7f.1/", /loopback/],
    ["http://127.000.000.001/", /loopback/],
    ["http://localhost/", /local host name/],
    ["http://LOCALHOST./", /local host name/],
    ["http://api.localhost/", /local-only/],
    ["http://[::1]/", /IPv6 loopback/],
    ["http://[0:0:0:0:0:0:0:1]/", /IPv6 loopback/],
    ["http://[::]/", /unspecified/],
    ["http://0.0.0.0/", /unspecified/],
    ["http://0/", /unspecified/],
    ["http://169.254.169.254/latest/meta-data/", /metadata/],
    ["http://[::ffff:a9fe:a9fe]/", /IPv4-mapped.*metadata/],
    ["http://[::ffff:169.254.169.254]/", /IPv4-mapped.*metadata/],
    ["http://[::ffff:127.0.0.1]/", /IPv4-mapped.*loopback/],
    ["http://[::ffff:7f00:1]/", /IPv4-mapped.*loopback/],
    ["http://[64:ff9b::7f00:1]/", /NAT64/],
    ["http://[2002:7f00:1::]/", /6to4/],
    ["http://metadata.google.internal/computeMetadata/v1/", /metadata|local-only/],
    ["http://metadata/", /local host name/],
    ["http://10.1.2.3/", /private/],
    ["http://172.16.0.1/", /private/],
    ["http://172.31.255.255/", /private/],
    ["http://192.168.1.1/", /private/],
    ["http://100.64.0.1/", /carrier-grade NAT/],
    ["http://224.0.0.1/", /multicast/],
    ["http://255.255.255.255/", /broadcast/],
    ["http://[fd00:ec2::254]/", /unique local/],
    ["http://[fc00::1]/", /unique local/],
    ["http://[fe80::1]/", /link-local/],
    ["http://[ff02::1]/", /multicast/],
    ["http://printer.local/", /local-only/],
    ["http://intranet/", /single-label/],
  ];

  for (const [raw, reason] of cases) {
    it(`refuses ${raw}`, () => {
      const error = refusal(raw);
      expect(error.status).toBe(400);
      expect(error.slug).toBe("url-refused");
      expect(error.detail).toMatch(reason);
      expect(error.detail).toContain("ALLOW_PRIVATE_NETWORK");
    });
  }

  it("does not refuse public neighbours of the private ranges", () => {
    for (const raw of ["http://172.32.0.1/", "http://100.128.0.1/", "http://11.0.0.1/", "http://[::ffff:8.8.8.8]/"]) {
      expect(() => checkPublicUrl(raw, strict), raw).not.toThrow();
    }
  });

  it("allows private targets when ALLOW_PRIVATE_NETWORK is on, but still checks scheme and credentials", () => {
    const open = { allowPrivateNetwork: true };
    expect(checkPublicUrl("http://127.0.0.1:9000/feed", open).port).toBe("9000");
    expect(checkPublicUrl("http://localhost/feed", open).hostname).toBe("localhost");
    expect(refusal("ftp://127.0.0.1/", open).slug).toBe("invalid-url");
    expect(refusal("http://a:b@127.0.0.1/", open).slug).toBe("invalid-url");
  });

  it("names the field it checked", () => {
    const error = refusal("http://127.1/", { allowPrivateNetwork: false, field: "url" });
    expect(error.extensions.errors).toEqual([{ field: "url", message: expect.stringMatching(/loopback/) }]);
    expect(refusal("http://127.1/", { allowPrivateNetwork: false, field: "webhook.url" }).detail).toMatch(
      /^webhook\.url /,
    );
  });
});
