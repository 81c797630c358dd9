import { describe, expect, it } from 'vitest';
import { isOriginAllowed, ownOriginOf } from '../../src/auth/origin-check.js';

const own = ownOriginOf({ protocol: 'https', host: 'parley.example.com' });
const policy = { allowedOrigins: ['https://app.example.com'], ownOrigins: own === undefined ? [] : [own] };

describe('isOriginAllowed', () => {
  it('lets a client that sends no Origin through: no browser page is asking', () => {
    expect(isOriginAllowed(undefined, policy)).toBe(true);
  });

  it("lets the server's own page through, however its origin is spelled", () => {
    expect(own).toBe('https://parley.example.com');
    expect(isOriginAllowed('https://parley.example.com', policy)).toBe(true);
    expect(isOriginAllowed('https://PARLEY.example.com:443', policy)).toBe(true);
  });

  it('lets a listed origin through', () => {
    expect(isOriginAllowed('https://app.example.com', policy)).toBe(true);
  });

  it('refuses other origins: another site, another scheme or port of a listed one, look-alikes, and opaque origins', () => {
    for (const origin of [
      'https://evil.example',
      'http://app.example.com',
      'https://app.example.com:8443',
      'https://app.example.com.evil.example',
      'https://parley.example.com.evil.example',
      'null',
      'not a url',
    ]) {
      expect({ origin, allowed: isOriginAllowed(origin, policy) }).toStrictEqual({ origin, allowed: false });
    }
  });

  it('lets every origin through when the list holds *', () => {
    expect(isOriginAllowed('https://anywhere.example', { allowedOrigins: ['*'], ownOrigins: [] })).toBe(true);
  });
});

describe('ownOriginOf', () => {
  it('builds the origin from the scheme and the Host header, keeping a port that is not the default', () => {
    expect(ownOriginOf({ protocol: 'http', host: '127.0.0.1:8000' })).toBe('http://127.0.0.1:8000');
    expect(ownOriginOf({ protocol: 'http', host: 'localhost:80' })).toBe('http://localhost');
    expect(ownOriginOf({ protocol: 'http', host: '[::1]:8000' })).toBe('http://[::1]:8000');
  });

  it('has no origin without a Host header', () => {
    expect(ownOriginOf({ protocol: 'http', host: undefined })).toBeUndefined();
    expect(ownOriginOf({ protocol: 'http', host: '' })).toBeUndefined();
  });
});
