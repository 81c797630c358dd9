import { describe, expect, it } from 'vitest';
import { tokenFromRequest } from '../../src/auth/token-from-request.js';
import { ParleyError } from '../../src/errors/index.js';

const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLWEifQ.c2lnbmF0dXJl';
const other = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLWIifQ.c2lnbmF0dXJl';

function refusalOf(carrier: Parameters<typeof tokenFromRequest>[0]): ParleyError {
  try {
    tokenFromRequest(carrier);
  } catch (error) {
    expect(error).toBeInstanceOf(ParleyError);
    return error as ParleyError;
  }
  throw new Error('expected a refusal');
}

describe('tokenFromRequest', () => {
  it('takes the token from Authorization: Bearer, whatever the case of the scheme', () => {
    expect(tokenFromRequest({ authorization: `Bearer ${jwt}` })).toStrictEqual({ value: jwt, source: 'authorization' });
    expect(tokenFromRequest({ authorization: `bearer ${jwt}` })).toStrictEqual({ value: jwt, source: 'authorization' });
  });

  it('takes the token from ?access_token= and the older ?token=, saying which', () => {
    expect(tokenFromRequest({ query: { access_token: jwt } })).toStrictEqual({ value: jwt, source: 'access_token' });
    expect(tokenFromRequest({ query: { token: 'operator-token-0123456789' } })).toStrictEqual({
      value: 'operator-token-0123456789',
      source: 'token',
    });
  });

  it('finds no token when none is given, when the header uses another scheme, or when values are empty', () => {
    expect(tokenFromRequest({})).toBeUndefined();
    expect(tokenFromRequest({ authorization: 'Basic dXNlcjpwYXNz', query: { user_id: 'someone' } })).toBeUndefined();
    expect(tokenFromRequest({ authorization: 'Bearer ', query: { access_token: '', token: '' } })).toBeUndefined();
  });

  it('accepts the same token given twice and names the header as its source', () => {
    expect(tokenFromRequest({ authorization: `Bearer ${jwt}`, query: { access_token: jwt } })).toStrictEqual({
      value: jwt,
      source: 'authorization',
    });
    expect(tokenFromRequest({ query: { access_token: [jwt, jwt] } })).toStrictEqual({ value: jwt, source: 'access_token' });
  });

  it('refuses two different tokens given at once, without repeating either', () => {
    const cases = [
      { authorization: `Bearer ${jwt}`, query: { access_token: other } },
      { query: { access_token: jwt, token: other } },
      { query: { access_token: [jwt, other] } },
      { authorization: [`Bearer ${jwt}`, `Bearer ${other}`] },
    ];
    for (const carrier of cases) {
      const refusal = refusalOf(carrier);
      expect(refusal.code).toBe('unauthorized');
      expect(refusal.message).toMatch(/Two different tokens/);
      expect(refusal.message).not.toContain(jwt);
      expect(refusal.message).not.toContain(other);
    }
  });
});
