import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AddressRefusedError,
  classifyAddress,
  HostNotFoundError,
  type Resolver,
  resolvePublicAddress,
} from "../../src/articles/address-guard.js";
import { fetchPage } from "../../src/articles/fetch-page.js";
import { type PageServer, startPageServer } from "../support/page-server.js";

/** A resolver that knows only the names it is given. */
const resolverOf =
  (table: Record<string, string[]>): Resolver =>
  async (host) => {
    const addresses = table[host];
    if (addresses === undefined) throw new Error(`ENOTFOUND ${host}`);
    return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };

const REFUSED: Record<string, string[]> = {
  unspecified: ["0.0.0.0", "0.1.2.3", "::"],
  loopback: ["127.0.0.1", "127.255.0.9", "::1", "::ffff:127.0.0.1", "::ffff:7f00:1"],
  private: [
    "10.0.0.1",
    "172.16.5.4",
    "172.31.255.255",
    "192.168.1.1",
    "fc00::1",
    "fd12:3456::1",
    "::ffff:10.1.2.3",
    "64:ff9b::192.168.0.1",
    "2002:c0a8:0101::1",
  ],
  "link-local": ["169.254.169.254", "fe80::1", "fe80::1%eth0", "::ffff:169.254.169.254"],
  "shared (CGNAT)": ["100.64.0.1", "100.127.255.254"],
  multicast: ["224.0.0.1", "239.255.255.250", "ff02::1"],
  documentation: ["192.0.2.10", "198.51.100.7", "203.0.113.99", "2001:db8::1", "3fff::1"],
  reserved: ["240.0.0.1", "255.255.255.255", "198.18.0.1", "192.0.0.8", "2001::1", "100::1"],
};

const PUBLIC = [
  "93.184.216.34",
  "8.8.8.8",
  "172.32.0.1",
  "100.128.0.1",
  "2606:4700:4700::1111",
  "2a00:1450:4001:82b::200e",
  "::ffff:93.184.216.34",
];

describe("address classes", () => {
  for (const [cls, addresses] of Object.entries(REFUSED)) {
    for (const address of addresses) {
      it(`classifies ${address} as ${cls}`, () => {
        expect(classifyAddress(address)).toBe(cls);
      });
    }
  }

  for (const address of PUBLIC) {
    it(`accepts the public address ${address}`, () => {
      expect(classifyAddress(address)).toBeUndefined();
    });
  }
});

describe("the guard resolves the host first and refuses every non-public address", () => {
  for (const [cls, addresses] of Object.entries(REFUSED)) {
    const address = addresses[0] as string;
    it(`refuses a name that resolves to ${address} (${cls})`, async () => {
      const resolve = resolverOf({ "news.example": [address] });
      await expect(resolvePublicAddress("news.example", { resolve })).rejects.toThrow(
        `refused to fetch from news.example: it resolves to ${address}, a ${cls} address, not a public one`,
      );
    });
  }

  it("refuses an IP literal without looking it up, IPv6 in brackets too", async () => {
    const resolve = resolverOf({});
    await expect(resolvePublicAddress("10.0.0.1", { resolve })).rejects.toThrow(
      "refused to fetch from 10.0.0.1: it is a private address, not a public one",
    );
    await expect(resolvePublicAddress("[::ffff:127.0.0.1]", { resolve })).rejects.toBeInstanceOf(
      AddressRefusedError,
    );
  });

  it("refuses a name with one public and one private address", async () => {
    const resolve = resolverOf({ "news.example": ["93.184.216.34", "10.0.0.7"] });
    await expect(resolvePublicAddress("news.example", { resolve })).rejects.toThrow(
      "it resolves to 10.0.0.7, a private address",
    );
  });

  it("returns the checked address of a public name", async () => {
    const resolve = resolverOf({ "news.example": ["93.184.216.34"] });
    await expect(resolvePublicAddress("news.example", { resolve })).resolves.toEqual({
      address: "93.184.216.34",
      family: 4,
    });
  });

  it("says when a name does not resolve", async () => {
    await expect(
      resolvePublicAddress("nowhere.example", { resolve: resolverOf({}) }),
    ).rejects.toBeInstanceOf(HostNotFoundError);
  });

  it("lets the test setting through loopback only, not private addresses", async () => {
    const resolve = resolverOf({ local: ["127.0.0.1"], lan: ["192.168.0.2"] });
    await expect(
      resolvePublicAddress("local", { resolve, allowLoopback: true }),
    ).resolves.toMatchObject({ address: "127.0.0.1" });
    await expect(resolvePublicAddress("lan", { resolve, allowLoopback: true })).rejects.toThrow(
      "a private address",
    );
  });
});

describe("fetching connects to the address that was checked", () => {
  let server: PageServer;
  beforeAll(async () => {
    server = await startPageServer({ redirectTo: "http://intranet.example/admin" });
  });
  afterAll(() => server.close());

  it("reaches a name the system cannot resolve through the checked address alone", async () => {
    // news.example exists only in the stub: a second, system lookup would fail.
    const resolve = resolverOf({ "news.example": ["127.0.0.1"] });
    const page = await fetchPage(
      `http://news.example:${server.port}/pages/harbour-post-fisheries-pact.html`,
      { resolve, allowLoopback: true },
    );
    expect(page.html).toContain("Norland and Estmark");
    expect(server.requests.at(-1)?.headers.host).toBe(`news.example:${server.port}`);
  });

  it("re-checks a redirect: from an allowed address to a private one is refused", async () => {
    const resolve = resolverOf({
      "news.example": ["127.0.0.1"],
      "intranet.example": ["10.0.0.5"],
    });
    await expect(
      fetchPage(`http://news.example:${server.port}/away`, { resolve, allowLoopback: true }),
    ).rejects.toThrow(
      "refused to fetch from intranet.example: it resolves to 10.0.0.5, a private address, not a public one",
    );
  });

  it("refuses a page served on loopback without the test setting", async () => {
    const resolve = resolverOf({ "news.example": ["127.0.0.1"] });
    await expect(fetchPage(`http://news.example:${server.port}/away`, { resolve })).rejects.toThrow(
      "it resolves to 127.0.0.1, a loopback address",
    );
  });
});
