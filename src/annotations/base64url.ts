/**
 * base64url (RFC 4648 §5, no padding) of a string's UTF-8 bytes, and back: how wait records and other JSON travel in
 * release tags, whose every character must be safe in a URL path. Written without Buffer so the train view reads in a
 * browser exactly what a task wrote in Node.
 */
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const values = new Map([...alphabet].map((c, i) => [c, i]));

export function toBase64url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2;
    for (let c = 0; c < chars; c++) out += alphabet[(n >> (18 - 6 * c)) & 63];
  }
  return out;
}

/**
 * The text a base64url string encodes. As Node's Buffer does: characters outside the alphabet (and `=` padding) are
 * skipped, bits that do not make a whole byte are dropped, and bytes that are not UTF-8 read as U+FFFD.
 */
export function fromBase64url(encoded: string): string {
  const digits: number[] = [];
  for (const c of encoded) {
    const v = values.get(c === '+' ? '-' : c === '/' ? '_' : c);
    if (v !== undefined) digits.push(v);
  }
  const bytes = new Uint8Array(Math.floor((digits.length * 6) / 8));
  let at = 0;
  for (let i = 0; i < digits.length; i += 4) {
    const n = (digits[i] << 18) | ((digits[i + 1] ?? 0) << 12) | ((digits[i + 2] ?? 0) << 6) | (digits[i + 3] ?? 0);
    for (let b = 0; b < 3 && at < bytes.length; b++) bytes[at++] = (n >> (16 - 8 * b)) & 255;
  }
  return new TextDecoder().decode(bytes);
}
