/**
 * @module attack-protection/ip-address
 *
 * IP literals as counter keys: one canonical text per address (IPv4 dotted quad, IPv6
 * compressed lower case, IPv4-mapped IPv6 as IPv4), and allowlists of addresses and CIDR
 * ranges (node's `BlockList`).
 */
import { BlockList, isIP, isIPv4 } from 'node:net';

const MAPPED_V4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/**
 * The canonical form of an IP literal, or null when `value` is not exactly one IP address. An
 * IPv6 zone (`fe80::1%eth0`, which node accepts and reports for link-local peers) is dropped: it
 * names an interface of the host that saw the address, not a different address.
 */
export function canonicalIp(value: string): string | null {
  const version = isIP(value);
  if (version === 4) return value;
  if (version !== 6) return null;
  const [address = ''] = value.split('%', 1);
  if (isIP(address) !== 6) return null;
  const compressed = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const mapped = MAPPED_V4.exec(address) ?? MAPPED_V4.exec(compressed);
  if (mapped?.[1] !== undefined && isIPv4(mapped[1])) return mapped[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(compressed);
  if (hex?.[1] !== undefined && hex[2] !== undefined) {
    const high = Number.parseInt(hex[1], 16);
    const low = Number.parseInt(hex[2], 16);
    return [high >> 8, high & 255, low >> 8, low & 255].join('.');
  }
  return compressed;
}

/** True when `entry` is an IP address or a CIDR range (`addr/prefix`). */
export function isIpOrCidr(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  if (address === undefined || rest.length > 0) return false;
  const version = isIP(address);
  if (version === 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d{1,3}$/.test(prefix) && bits <= (version === 4 ? 32 : 128);
}

/** Allowlists built per entries array: settings are cached, so each array is parsed once. */
const built = new WeakMap<readonly string[], IpAllowlist>();

/** A set of addresses and ranges; `has` answers for any canonical IP. */
export class IpAllowlist {
  readonly #list = new BlockList();
  readonly size: number;

  /** The allowlist of `entries`, built once per array. */
  static of(entries: readonly string[]): IpAllowlist {
    let list = built.get(entries);
    if (list === undefined) {
      list = new IpAllowlist(entries);
      built.set(entries, list);
    }
    return list;
  }

  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const [address = '', prefix] = entry.split('/');
      const type = isIP(address) === 4 ? 'ipv4' : 'ipv6';
      if (prefix === undefined) this.#list.addAddress(address, type);
      else this.#list.addSubnet(address, Number(prefix), type);
    }
    this.size = entries.length;
  }

  has(ip: string): boolean {
    if (this.size === 0) return false;
    return this.#list.check(ip, isIP(ip) === 4 ? 'ipv4' : 'ipv6');
  }
}
