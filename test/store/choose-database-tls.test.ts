import { describe, expect, it } from 'vitest';
import { chooseDatabaseTls, isLoopbackHost } from '../../src/store/choose-database-tls.js';

const modeOf = (databaseUrl: string) => chooseDatabaseTls(databaseUrl).mode;

describe('chooseDatabaseTls', () => {
  it('keeps a server on this machine plain unless the URL asks for TLS', () => {
    expect(modeOf('postgres://postgres@127.0.0.1:5432/test')).toBe('disable');
    expect(modeOf('postgres://postgres@localhost/test')).toBe('disable');
    expect(modeOf('postgres://postgres@[::1]:5432/test')).toBe('disable');
    expect(modeOf('postgres://postgres@127.0.0.1/test?sslmode=prefer')).toBe('disable');
    expect(modeOf('postgres://postgres@127.0.0.1/test?sslmode=require')).toBe('require');
    expect(modeOf('postgres://postgres@localhost/test?sslmode=verify-full')).toBe('verify-full');
  });

  it('encrypts the link to a server elsewhere unless the URL says sslmode=disable', () => {
    expect(modeOf('postgres://app:secret@db.example.com:5432/app')).toBe('require');
    expect(modeOf('postgres://app@10.0.0.7/app')).toBe('require');
    expect(modeOf('postgres://app@db.example.com/app?sslmode=prefer')).toBe('require');
    expect(modeOf('postgres://app@db.example.com/app?sslmode=allow')).toBe('require');
    expect(modeOf('postgres://app@db.example.com/app?sslmode=disable')).toBe('disable');
  });

  it('gives Supabase connection strings, which carry no sslmode, TLS: direct and through the pooler', () => {
    expect(modeOf('postgresql://postgres:pw@db.abcdefghijklmnop.supabase.co:5432/postgres')).toBe('require');
    expect(modeOf('postgresql://postgres.abcdefghijklmnop:pw@aws-0-eu-west-1.pooler.supabase.com:6543/postgres?pgbouncer=true')).toBe('require');
  });

  it('checks certificates for verify-ca and verify-full, with the sslrootcert file when given', () => {
    expect(chooseDatabaseTls('postgres://app@db.example.com/app?sslmode=verify-full&sslrootcert=/etc/ssl/ca.crt')).toStrictEqual({
      mode: 'verify-full',
      hostname: 'db.example.com',
      rootCertificatePath: '/etc/ssl/ca.crt',
    });
    expect(chooseDatabaseTls('postgres://app@DB.Example.com/app?sslmode=verify-ca')).toStrictEqual({ mode: 'verify-ca', hostname: 'db.example.com' });
    expect(chooseDatabaseTls('postgres://app@[2001:db8::1]/app?sslmode=verify-full')).toStrictEqual({ mode: 'verify-full', hostname: '2001:db8::1' });
  });

  it('follows libpq where sslrootcert changes the mode: require with a file checks the chain, system alone checks everything', () => {
    expect(chooseDatabaseTls('postgres://app@db.example.com/app?sslmode=require&sslrootcert=/ca.crt')).toStrictEqual({
      mode: 'verify-ca',
      hostname: 'db.example.com',
      rootCertificatePath: '/ca.crt',
    });
    expect(chooseDatabaseTls('postgres://app@127.0.0.1/app?sslrootcert=system')).toStrictEqual({ mode: 'verify-full', hostname: '127.0.0.1' });
  });

  it('refuses an sslmode libpq does not know, naming the ones it does', () => {
    expect(() => chooseDatabaseTls('postgres://app@db.example.com/app?sslmode=on')).toThrow(
      'DATABASE_URL has sslmode=on; use one of disable, allow, prefer, require, verify-ca, verify-full',
    );
  });
});

describe('isLoopbackHost', () => {
  it('knows the names and addresses of this machine, and nothing else', () => {
    for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.8.9.10', '::1', '[::1]', '[::ffff:7f00:1]', '']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['db.example.com', 'localhost.example.com', '10.0.0.1', '128.0.0.1', '::2', '[2001:db8::1]']) expect(isLoopbackHost(host)).toBe(false);
  });
});
