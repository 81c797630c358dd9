import { describe, expect, it } from 'vitest';
import { canAccessSession, ownerForNewSession, sessionListFilter } from '../../src/auth/can-access-session.js';
import type { Principal } from '../../src/auth/principal.js';

const alice: Principal = { kind: 'user', userId: 'alice', expiresAt: Date.now() + 60_000 };
const operator: Principal = { kind: 'operator', via: 'api_token' };
const serviceRole: Principal = { kind: 'operator', via: 'service_role' };
const open: Principal = { kind: 'open', userId: 'alice' };
const openNobody: Principal = { kind: 'open', userId: null };

describe('canAccessSession', () => {
  it('decides the whole table of principals and owners', () => {
    const owners = [undefined, 'alice', 'bob', null] as const;
    const table = Object.fromEntries(
      Object.entries({ alice, operator, serviceRole, open, openNobody }).map(([name, principal]) => [
        name,
        owners.map((owner) => canAccessSession(principal, owner)),
      ]),
    );
    //                          missing    alice's   bob's    nobody's
    expect(table).toStrictEqual({
      alice: ['create', 'allow', 'deny', 'deny'],
      operator: ['create', 'allow', 'allow', 'allow'],
      serviceRole: ['create', 'allow', 'allow', 'allow'],
      open: ['create', 'allow', 'allow', 'allow'],
      openNobody: ['create', 'allow', 'allow', 'allow'],
    });
  });

  it('does not let a user whose id only differs in case into the session', () => {
    expect(canAccessSession(alice, 'Alice')).toBe('deny');
  });
});

describe('sessionListFilter', () => {
  it('keeps a user to their own sessions whatever user_id they ask for', () => {
    expect(sessionListFilter(alice)).toBe('alice');
    expect(sessionListFilter(alice, 'bob')).toBe('alice');
  });

  it('lets an operator and the open mode list everything, or filter when asked', () => {
    expect(sessionListFilter(operator)).toBeUndefined();
    expect(sessionListFilter(operator, 'bob')).toBe('bob');
    expect(sessionListFilter(openNobody)).toBeUndefined();
    expect(sessionListFilter(open, 'bob')).toBe('bob');
  });
});

describe('ownerForNewSession', () => {
  it("gives a user's new session to that user, whatever user_id they ask for", () => {
    expect(ownerForNewSession(alice, 'bob')).toBe('alice');
  });

  it('gives an operator\'s new session to the user_id asked for, or to nobody', () => {
    expect(ownerForNewSession(operator, 'bob')).toBe('bob');
    expect(ownerForNewSession(operator)).toBeNull();
  });

  it('gives an open-mode session to the user the client named', () => {
    expect(ownerForNewSession(open)).toBe('alice');
    expect(ownerForNewSession(openNobody)).toBeNull();
  });
});
