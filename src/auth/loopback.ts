import { BlockList, isIP } from 'node:net';

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** 127.0.0.0/8 and ::1, also when written as IPv4-mapped IPv6 (::ffff:127.0.0.1). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const family = isIP(address);
  return family !== 0 && loopback.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * Whether a Host header names this machine's loopback interface (`localhost`, a loopback
 * address, with or without a port). A browser page whose own name was made to resolve to
 * 127.0.0.1 (DNS rebinding) sends its own name here, not one of these.
 */
export function isLoopbackHost(host: string): boolean {
  const trimmed = host.trim().toLowerCase();
  // `[::1]:8000` and `localhost:8000` carry a port; a bare IPv6 address has several colons.
  const bracketed = /^\[([^\]]*)\](?::\d+)?$/.exec(trimmed);
  const name = (bracketed?.[1] ?? (trimmed.split(':').length === 2 ? trimmed.replace(/:\d*$/, '') : trimmed)).replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost') || isLoopbackAddress(name);
}
