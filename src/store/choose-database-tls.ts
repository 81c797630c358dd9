import { isLoopbackAddress } from '../net/is-loopback-address.js';

/**
 * How the link to a PostgreSQL server is secured. `require` encrypts without checking the
 * certificate (what libpq's `require` does); `verify-ca` checks the certificate's chain;
 * `verify-full` checks the chain and that it names the host.
 */
export type DatabaseTlsMode = 'disable' | 'require' | 'verify-ca' | 'verify-full';

export interface DatabaseTls {
  mode: DatabaseTlsMode;
  /** The URL's `sslrootcert` file: the CAs to trust instead of Node's bundled ones. */
  rootCertificatePath?: string;
  /** The name `verify-full` expects on the certificate: the URL's host. */
  hostname: string;
}

/** The URL parameters libpq reads for TLS; Parley applies them, so the server never sees them. */
export const tlsUrlParameters = ['sslmode', 'sslrootcert'] as const;

const sslModes = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;

/**
 * Secure by default: a server reached over the network gets TLS unless the URL says
 * `sslmode=disable` (Supabase's connection strings carry no sslmode and still get it); a
 * server on this machine gets TLS only when the URL asks for it. `allow` and `prefer` never
 * fall back to plain text on the network: a link is encrypted or refused, so /health can
 * say which it is. The URL's `sslrootcert` is honoured; `system` means Node's bundled CAs.
 */
export function chooseDatabaseTls(databaseUrl: string): DatabaseTls {
  const url = new URL(databaseUrl);
  const hostname = unbracketed(url.hostname.toLowerCase());
  const sslmode = url.searchParams.get('sslmode') ?? undefined;
  if (sslmode !== undefined && !(sslModes as readonly string[]).includes(sslmode)) {
    throw new Error(`DATABASE_URL has sslmode=${sslmode}; use one of ${sslModes.join(', ')}`);
  }
  const rootCertificate = url.searchParams.get('sslrootcert') ?? undefined;
  const rootCertificateFile = rootCertificate === 'system' ? undefined : rootCertificate;
  const mode = modeFor(sslmode, rootCertificate, hostname);
  const checksCertificate = mode === 'verify-ca' || mode === 'verify-full';
  return { mode, hostname, ...(checksCertificate && rootCertificateFile !== undefined ? { rootCertificatePath: rootCertificateFile } : {}) };
}

function modeFor(sslmode: string | undefined, rootCertificate: string | undefined, hostname: string): DatabaseTlsMode {
  switch (sslmode) {
    case 'disable':
    case 'verify-ca':
    case 'verify-full':
      return sslmode;
    case 'require':
      // libpq: `require` given a root certificate file checks the chain, as verify-ca does.
      return rootCertificate !== undefined && rootCertificate !== 'system' ? 'verify-ca' : 'require';
    case undefined:
      // libpq: sslrootcert=system alone means verify-full.
      if (rootCertificate === 'system') return 'verify-full';
  }
  return isLoopbackHost(hostname) ? 'disable' : 'require';
}

/** localhost, 127.0.0.0/8, ::1 (IPv4-mapped too), or no host at all (libpq's local socket). */
export function isLoopbackHost(hostname: string): boolean {
  const host = unbracketed(hostname.toLowerCase());
  if (host === '' || host === 'localhost') return true;
  return isLoopbackAddress(host);
}

/** URLs write IPv6 hosts in brackets; addresses and certificates name them without. */
function unbracketed(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}
