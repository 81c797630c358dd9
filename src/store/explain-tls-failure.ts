import type { DatabaseTls } from './choose-database-tls.js';

/** Node's codes for a certificate whose chain it could not trust. */
const untrustedCertificateCodes = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

/**
 * A failed first connection, told in terms of DATABASE_URL when TLS is why it failed: the
 * operator learns which URL parameter to change instead of reading an OpenSSL code. Other
 * failures come back unchanged.
 */
export function explainTlsFailure(error: unknown, tls: DatabaseTls): unknown {
  if (tls.mode === 'disable' || !(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return error;
  if (untrustedCertificateCodes.has(code)) {
    const trusted = tls.rootCertificatePath === undefined ? "Node's bundled CAs" : `the CAs in ${tls.rootCertificatePath}`;
    return new Error(
      `The database's TLS certificate is not signed by ${trusted} (${error.message}). Give its CA file as ` +
        'sslrootcert=/path/to/ca.crt in DATABASE_URL, or use sslmode=require to encrypt without checking the certificate.',
      { cause: error },
    );
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return new Error(
      `The database's TLS certificate does not name the host "${tls.hostname}" (${error.message}). Connect by a name ` +
        'the certificate lists, or use sslmode=verify-ca to check its chain only.',
      { cause: error },
    );
  }
  if (code === 'ECONNRESET') {
    return new Error(
      'The database closed the connection during the TLS handshake: it may not offer TLS. A server off this machine ' +
        'gets TLS unless DATABASE_URL says sslmode=disable; add it only for a server on a network you trust.',
      { cause: error },
    );
  }
  return error;
}
