import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashPassword, makeKeyedToken, parseKeyedToken, verifyPassword } from './crypto.js';

describe('password hashing', () => {
  it('verifies the right password and rejects others, with a fresh salt each time', async () => {
    const one = await hashPassword('correct horse battery');
    const two = await hashPassword('correct horse battery');
    expect(one).not.toBe(two);
    expect(one).toMatch(/^scrypt\$32768\$8\$3\$/);
    expect(await verifyPassword('correct horse battery', one)).toBe(true);
    expect(await verifyPassword('correct horse batterY', one)).toBe(false);
    expect(await verifyPassword('correct horse battery', 'plain-text')).toBe(false);
  });

  it('treats Unicode-equivalent spellings as the same password', async () => {
    const hash = await hashPassword('Gr\u00fc\u00dfe aus K\u00f6ln');
    expect(await verifyPassword('Gru\u0308\u00dfe aus Ko\u0308ln', hash)).toBe(true);
  });
});

describe('keyed tokens', () => {
  it('parse back to the tenant and id they were made for', () => {
    fc.assert(
      fc.property(fc.uuid({ version: 4 }), fc.uuid({ version: 4 }), (tenantId, id) => {
        const { token } = makeKeyedToken('attain', tenantId, id);
        expect(parseKeyedToken('attain', token)).toMatchObject({ tenantId, id });
      }),
    );
  });

  it('reject other prefixes and mangled tokens', () => {
    const { token } = makeKeyedToken('attain', '0b7f3ad0-1b1e-4c8a-9d4e-6f1e2d3c4b5a', '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f');
    expect(parseKeyedToken('invite', token)).toBeNull();
    expect(parseKeyedToken('attain', token.slice(0, 40))).toBeNull();
    expect(parseKeyedToken('attain', token.replace(/^attain_./, 'attain_z'))).toBeNull();
  });
});
