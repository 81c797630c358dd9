import { isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';
import { ParleyError } from '../errors/index.js';

/** Names a browser on this machine uses for it: always served. */
const loopbackNames = ['localhost', '127.0.0.1', '[::1]'];
/** Addresses that mean "every interface". */
const wildcardAddresses = new Set(['0.0.0.0', '::', '[::]']);

/**
 * The Host names served, or null for any. A server bound to loopback (the default) answers
 * only to the names of this machine and its HOST, so a web page whose domain an attacker
 * re-points at 127.0.0.1 (DNS rebinding) cannot reach it. Bound to every interface with no
 * list, it is taken to sit behind a load balancer that chooses the names, and answers to any;
 * unless `loopbackOnly` (the open mode, which serves only this machine's clients): then only
 * this machine's names, since a rebound page in a local browser is exactly such a client.
 */
export function allowedHostNames(
  bindHost: string,
  allowedHosts: readonly string[] | undefined,
  loopbackOnly = false,
): ReadonlySet<string> | null {
  if (allowedHosts?.includes('*')) return null;
  const wildcard = wildcardAddresses.has(bindHost);
  if (allowedHosts === undefined && wildcard && !loopbackOnly) return null;
  const configured = allowedHosts ?? (wildcard ? [] : [bindHost]);
  const names = [...loopbackNames, ...configured].map(hostNameOf).filter((name): name is string => name !== null);
  return new Set(names);
}

/** Whether a Host header (a name and perhaps a port) is one of `allowed` (null: any). */
export function isHostAllowed(hostHeader: string | undefined, allowed: ReadonlySet<string> | null): boolean {
  if (allowed === null) return true;
  const name = hostHeader === undefined ? null : hostNameOf(hostHeader);
  return name !== null && allowed.has(name);
}

/** An onRequest hook refusing other hosts with `forbidden_host`: every route and the WebSocket upgrade. */
export function createHostCheck(allowed: ReadonlySet<string> | null): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    if (isHostAllowed(request.headers.host, allowed)) return;
    const shown = (request.headers.host ?? '').slice(0, 100);
    throw new ParleyError('forbidden_host', `This server does not answer to the host "${shown}"; its operator can add the name to ALLOWED_HOSTS.`);
  };
}

/**
 * The host name as a URL parser reads it: lower case, no port, IPv6 in brackets, IPv4
 * shorthand spelled out; null when it is not a host at all.
 */
function hostNameOf(host: string): string | null {
  const bare = host.trim();
  if (bare === '' || /[/?#@\\]/.test(bare)) return null;
  const bracketed = isIP(bare) === 6 ? `[${bare}]` : bare;
  try {
    return new URL(`http://${bracketed}`).hostname.replace(/\.$/, '');
  } catch {
    return null;
  }
}
