// Letters and digits without look-alikes (0/O, 1/l/I): the password may be read out over the phone.
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/**
 * A random password from the browser's CSPRNG. Bytes at or above the largest multiple of the
 * alphabet's length are drawn again, so every character is equally likely (no modulo bias).
 */
export function generatePassword(length = 16): string {
  const limit = 256 - (256 % ALPHABET.length);
  const chars: string[] = [];
  const bytes = new Uint8Array(length * 2);
  while (chars.length < length) {
    crypto.getRandomValues(bytes);
    for (const byte of bytes) {
      if (byte < limit && chars.length < length) chars.push(ALPHABET.charAt(byte % ALPHABET.length));
    }
  }
  return chars.join('');
}
