import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

// scrypt is memory-hard: N=2^15, r=8 needs 32 MiB per hash; p=3 follows OWASP's password
// storage cheat sheet for that N (~220 ms on this machine's 2 cores).
const SCRYPT = { N: 2 ** 15, r: 8, p: 3, keyLength: 32 } as const;

function scryptAsync(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** `scrypt$N$r$p$salt$hash` (base64url), self-describing so parameters can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password.normalize('NFKC'), salt, SCRYPT.keyLength, {
    N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, maxmem: 128 * SCRYPT.N * SCRYPT.r * 2,
  });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const N = Number(n);
  const key = await scryptAsync(password.normalize('NFKC'), Buffer.from(salt, 'base64url'), expected.length, {
    N, r: Number(r), p: Number(p), maxmem: 128 * N * Number(r) * 2,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash to compare against when the user does not exist, so timing does not reveal accounts. */
let dummyHash: Promise<string> | null = null;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(12).toString('base64url'));
  return dummyHash;
}

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('base64url');

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export const randomSecret = (bytes = 32): string => randomBytes(bytes).toString('base64url');

const UUID_HEX = /^[0-9a-f]{32}$/;
const hexToUuid = (hex: string): string =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

/**
 * Bearer-style secrets that name where they live: `<prefix>_<tenant hex><id hex><secret>`.
 * The server finds the row by (tenant, id) — a key that shards by tenant — and compares
 * the secret's hash in constant time. Only the hash is stored.
 */
export function makeKeyedToken(prefix: string, tenantId: string, id: string): { token: string; secretHash: string; display: string } {
  const secret = randomSecret(24);
  const token = `${prefix}_${tenantId.replaceAll('-', '')}${id.replaceAll('-', '')}${secret}`;
  return { token, secretHash: sha256(secret), display: `${prefix}_${tenantId.slice(0, 4)}…${secret.slice(-4)}` };
}

export function parseKeyedToken(prefix: string, token: string): { tenantId: string; id: string; secret: string } | null {
  if (!token.startsWith(`${prefix}_`)) return null;
  const body = token.slice(prefix.length + 1);
  const tenantHex = body.slice(0, 32);
  const idHex = body.slice(32, 64);
  const secret = body.slice(64);
  if (!UUID_HEX.test(tenantHex) || !UUID_HEX.test(idHex) || secret.length < 20) return null;
  return { tenantId: hexToUuid(tenantHex), id: hexToUuid(idHex), secret };
}
