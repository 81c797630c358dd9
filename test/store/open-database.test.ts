import { describe, expect, it } from 'vitest';
import { usePreparedStatements } from '../../src/store/open-database.js';

describe('usePreparedStatements', () => {
  it('turns prepared statements off behind a transaction pooler when set to auto', () => {
    expect(usePreparedStatements('postgresql://user:pw@aws-0-eu-west-1.pooler.supabase.com:5432/postgres', 'auto')).toBe(false);
    expect(usePreparedStatements('postgres://user:pw@db.example.com:6543/postgres', 'auto')).toBe(false);
    expect(usePreparedStatements('postgres://user:pw@db.example.com/postgres?pgbouncer=true', 'auto')).toBe(false);
  });

  it('keeps prepared statements on for a direct connection when set to auto', () => {
    expect(usePreparedStatements('postgres://postgres@127.0.0.1:5432/parley', 'auto')).toBe(true);
  });

  it('follows an explicit setting whatever the address', () => {
    expect(usePreparedStatements('postgres://user@db.example.com:6543/postgres', 'true')).toBe(true);
    expect(usePreparedStatements('postgres://postgres@127.0.0.1:5432/parley', 'false')).toBe(false);
  });
});
