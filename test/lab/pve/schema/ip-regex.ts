// IPv4/IPv6 regexes exactly as PVE::Tools builds them ($IPV4RE, $IPV6RE), used by the named formats.

const IPV4OCTET = '(?:25[0-5]|(?:2[0-4]|1[0-9]|[1-9])?[0-9])';
export const IPV4RE = `(?:(?:${IPV4OCTET}\\.){3}${IPV4OCTET})`;
const H16 = '(?:[0-9a-fA-F]{1,4})';
const LS32 = `(?:(?:${IPV4RE}|${H16}:${H16}))`;
export const IPV6RE =
  '(?:' +
  `(?:(?:(?:${H16}:){6})${LS32})|` +
  `(?:(?:::(?:${H16}:){5})${LS32})|` +
  `(?:(?:(?:${H16})?::(?:${H16}:){4})${LS32})|` +
  `(?:(?:(?:(?:${H16}:){0,1}${H16})?::(?:${H16}:){3})${LS32})|` +
  `(?:(?:(?:(?:${H16}:){0,2}${H16})?::(?:${H16}:){2})${LS32})|` +
  `(?:(?:(?:(?:${H16}:){0,3}${H16})?::(?:${H16}:){1})${LS32})|` +
  `(?:(?:(?:(?:${H16}:){0,4}${H16})?::)${LS32})|` +
  `(?:(?:(?:(?:${H16}:){0,5}${H16})?::)${H16})|` +
  `(?:(?:(?:(?:${H16}:){0,6}${H16})?::))` +
  ')';

const ipv4Re = new RegExp(`^${IPV4RE}$`);
const ipv6Re = new RegExp(`^${IPV6RE}$`);
const cidr4Re = new RegExp(`^${IPV4RE}/(\\d+)$`);
const cidr6Re = new RegExp(`^${IPV6RE}/(\\d+)$`);

export const isIpv4 = (v: string): boolean => ipv4Re.test(v);
export const isIpv6 = (v: string): boolean => ipv6Re.test(v);
export const isIp = (v: string): boolean => isIpv4(v) || isIpv6(v);

/** PVE accepts prefix lengths 8..32 only (`$1 > 7 && $1 <= 32`). */
export function isCidrV4(v: string): boolean {
  const m = cidr4Re.exec(v);
  return !!m && Number(m[1]) > 7 && Number(m[1]) <= 32;
}

/** PVE accepts prefix lengths 8..128 only. */
export function isCidrV6(v: string): boolean {
  const m = cidr6Re.exec(v);
  return !!m && Number(m[1]) > 7 && Number(m[1]) <= 128;
}

const MASKS = new Set<string>();
for (let bits = 1; bits <= 32; bits++) {
  const n = bits === 32 ? 0xffffffff : (0xffffffff << (32 - bits)) >>> 0;
  MASKS.add([24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.'));
}
/** The 32 netmasks 128.0.0.0 .. 255.255.255.255 ($ipv4_mask_hash). */
export const isIpv4Mask = (v: string): boolean => MASKS.has(v);
