/** IPv4 arithmetic on already-validated dotted quads (see strict-values.ts); addresses as unsigned 32-bit numbers. */

/** `10.20.0.1` -> 169082881. The input must already match `ipv4Schema`. */
export function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

/** 169082881 -> `10.20.0.1`. */
export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** The netmask of a prefix length: 24 -> `255.255.255.0`. */
export function prefixToNetmask(prefix: number): string {
  return intToIp(prefix === 0 ? 0 : 2 ** 32 - 2 ** (32 - prefix));
}

/** Network address, prefix, first and last address of `cidr` (`10.20.0.0/24`, host bits are masked off). */
export function parseCidr(cidr: string): { network: number; prefix: number; size: number; broadcast: number } {
  const [ip, len] = cidr.split('/') as [string, string];
  const prefix = Number(len);
  const size = 2 ** (32 - prefix);
  const network = Math.floor(ipToInt(ip) / size) * size;
  return { network, prefix, size, broadcast: network + size - 1 };
}

/** Whether `ip` lies inside `cidr`. */
export function cidrContains(cidr: string, ip: string): boolean {
  const { network, broadcast } = parseCidr(cidr);
  const n = ipToInt(ip);
  return n >= network && n <= broadcast;
}
