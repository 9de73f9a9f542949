/**
 * The guard against server-side request forgery: before the program fetches a page on
 * someone's behalf, the host is resolved and every address it resolves to must be a public
 * one. Loopback, private, link-local, shared (CGNAT), multicast, unspecified, documentation and
 * other reserved ranges are refused, for IPv4 and IPv6 alike; an IPv6 address that carries an
 * IPv4 address (IPv4-mapped, NAT64, 6to4) is judged by the IPv4 address inside it.
 *
 * The caller connects to the address that was checked, never to a second lookup of the name
 * (see `fetch-page.ts`), so a name cannot resolve to one address for the check and another
 * for the connection.
 */
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";

/** Why an address is not public. */
export type AddressClass =
  | "unspecified"
  | "loopback"
  | "private"
  | "link-local"
  | "shared (CGNAT)"
  | "multicast"
  | "documentation"
  | "reserved";

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Turns a host name into its addresses; the default is the system resolver. */
export type Resolver = (host: string) => Promise<ResolvedAddress[]>;

export interface GuardOptions {
  resolve?: Resolver;
  /**
   * Accept loopback addresses (127.0.0.0/8, ::1). For tests only, which serve pages on
   * 127.0.0.1; every other non-public class stays refused.
   */
  allowLoopback?: boolean;
}

/** A host refused by the guard; `message` is one sentence for the admin. */
export class AddressRefusedError extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
    readonly addressClass: AddressClass,
  ) {
    super(
      host === address
        ? `refused to fetch from ${address}: it is a ${addressClass} address, not a public one`
        : `refused to fetch from ${host}: it resolves to ${address}, a ${addressClass} address, not a public one`,
    );
    this.name = "AddressRefusedError";
  }
}

/** The host could not be resolved at all. */
export class HostNotFoundError extends Error {
  constructor(readonly host: string) {
    super(`cannot find the server ${host}: check the link`);
    this.name = "HostNotFoundError";
  }
}

interface Range {
  bytes: number[];
  prefix: number;
  class: AddressClass;
}

const v4 = (cidr: string, cls: AddressClass): Range => {
  const [address = "", prefix = "32"] = cidr.split("/");
  return { bytes: address.split(".").map(Number), prefix: Number(prefix), class: cls };
};

const v6 = (cidr: string, cls: AddressClass): Range => {
  const [address = "", prefix = "128"] = cidr.split("/");
  return { bytes: parseIPv6(address) ?? [], prefix: Number(prefix), class: cls };
};

// IANA's IPv4 special-purpose registry, less the ranges that are globally reachable.
const IPV4_RANGES: Range[] = [
  v4("0.0.0.0/8", "unspecified"),
  v4("10.0.0.0/8", "private"),
  v4("100.64.0.0/10", "shared (CGNAT)"),
  v4("127.0.0.0/8", "loopback"),
  v4("169.254.0.0/16", "link-local"),
  v4("172.16.0.0/12", "private"),
  v4("192.0.0.0/24", "reserved"),
  v4("192.0.2.0/24", "documentation"),
  v4("192.88.99.0/24", "reserved"),
  v4("192.168.0.0/16", "private"),
  v4("198.18.0.0/15", "reserved"),
  v4("198.51.100.0/24", "documentation"),
  v4("203.0.113.0/24", "documentation"),
  v4("224.0.0.0/4", "multicast"),
  v4("240.0.0.0/4", "reserved"),
];

// Checked in order: the first match wins, so the narrower ranges come first.
const IPV6_RANGES: Range[] = [
  v6("::/128", "unspecified"),
  v6("::1/128", "loopback"),
  v6("64:ff9b:1::/48", "private"),
  v6("100::/64", "reserved"),
  v6("2001:db8::/32", "documentation"),
  v6("2001::/23", "reserved"),
  v6("3fff::/20", "documentation"),
  v6("fc00::/7", "private"),
  v6("fe80::/10", "link-local"),
  v6("fec0::/10", "private"),
  v6("ff00::/8", "multicast"),
];

/** IPv6 prefixes whose addresses carry an IPv4 address, and the byte it starts at. */
const EMBEDDED_IPV4: { range: Range; offset: number }[] = [
  { range: v6("::ffff:0:0/96", "reserved"), offset: 12 }, // IPv4-mapped
  { range: v6("64:ff9b::/96", "reserved"), offset: 12 }, // NAT64
  { range: v6("2002::/16", "reserved"), offset: 2 }, // 6to4
];

const GLOBAL_UNICAST = v6("2000::/3", "reserved");

function inRange(bytes: readonly number[], range: Range): boolean {
  let bits = range.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((range.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** Parses an IPv6 address (with an optional zone and a trailing dotted IPv4) into 16 bytes. */
function parseIPv6(text: string): number[] | undefined {
  const address = text.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (isIP(address) !== 6) return undefined;
  let groups: string[];
  const [head = "", tail] = address.split("::");
  const headGroups = head === "" ? [] : head.split(":");
  const tailGroups = tail === undefined || tail === "" ? [] : tail.split(":");
  const expand = (parts: string[]) =>
    parts.flatMap((part) => {
      if (!part.includes(".")) return [part];
      const [a = 0, b = 0, c = 0, d = 0] = part.split(".").map(Number);
      return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
    });
  const h = expand(headGroups);
  const t = expand(tailGroups);
  if (tail === undefined) groups = h;
  else groups = [...h, ...Array<string>(8 - h.length - t.length).fill("0"), ...t];
  return groups.flatMap((g) => {
    const value = Number.parseInt(g, 16);
    return [value >> 8, value & 0xff];
  });
}

/**
 * Classifies an IP address: `undefined` when it is public, else the class that makes it
 * non-public. Anything that is not an IP address is `reserved`.
 */
export function classifyAddress(address: string): AddressClass | undefined {
  const plain = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const family = isIP(plain);
  if (family === 4) return classifyIPv4(plain.split(".").map(Number));
  if (family !== 6) return "reserved";
  const bytes = parseIPv6(plain) ?? [];
  for (const { range, offset } of EMBEDDED_IPV4) {
    if (inRange(bytes, range)) return classifyIPv4(bytes.slice(offset, offset + 4));
  }
  // IPv4-compatible addresses (::a.b.c.d), deprecated; :: and ::1 are matched below first.
  const found = IPV6_RANGES.find((range) => inRange(bytes, range));
  if (found) return found.class;
  if (inRange(bytes, v6("::/96", "reserved"))) return "reserved";
  return inRange(bytes, GLOBAL_UNICAST) ? undefined : "reserved";
}

function classifyIPv4(bytes: readonly number[]): AddressClass | undefined {
  return IPV4_RANGES.find((range) => inRange(bytes, range))?.class;
}

const systemResolver: Resolver = async (host) => {
  const found = await lookup(host, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/**
 * Resolves `host` and checks every address it resolves to. Returns the address to connect to
 * (the first one); throws {@link AddressRefusedError} when any address is not public, so that
 * a name with one public and one private address cannot be used to reach the private one.
 *
 * @param host  a URL's host name; an IP literal (IPv6 with or without brackets) is checked
 *   without a lookup
 * @throws {AddressRefusedError} an address is not public
 * @throws {HostNotFoundError} the name does not resolve
 */
export async function resolvePublicAddress(
  host: string,
  options: GuardOptions = {},
): Promise<ResolvedAddress> {
  const bare = host.replace(/^\[|\]$/g, "");
  const literal = isIP(bare);
  let addresses: ResolvedAddress[];
  if (literal !== 0) {
    addresses = [{ address: bare, family: literal === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await (options.resolve ?? systemResolver)(bare);
    } catch {
      throw new HostNotFoundError(bare);
    }
    if (addresses.length === 0) throw new HostNotFoundError(bare);
  }
  for (const { address } of addresses) {
    const cls = classifyAddress(address);
    if (cls === undefined || (cls === "loopback" && options.allowLoopback === true)) continue;
    throw new AddressRefusedError(bare, address, cls);
  }
  return addresses[0] as ResolvedAddress;
}
