/**
 * The few ASN.1 DER encodings an X.509 certificate needs. Node can make and use keys but cannot
 * write a certificate, and the local authority must not depend on an `openssl` binary being
 * installed, so the certificate is assembled from these.
 */

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function element(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

export const sequence = (...items: Buffer[]): Buffer => element(0x30, Buffer.concat(items));
export const set = (...items: Buffer[]): Buffer => element(0x31, Buffer.concat(items));
export const octetString = (content: Buffer): Buffer => element(0x04, content);
export const bitString = (content: Buffer): Buffer => element(0x03, Buffer.concat([Buffer.from([0]), content]));
export const boolean = (value: boolean): Buffer => element(0x01, Buffer.from([value ? 0xff : 0]));
export const utf8String = (text: string): Buffer => element(0x0c, Buffer.from(text, 'utf8'));
/** Context-specific constructed tag, e.g. `[0]` for the certificate version, `[3]` for extensions. */
export const explicit = (tagNumber: number, content: Buffer): Buffer => element(0xa0 | tagNumber, content);
/** Context-specific primitive tag, as GeneralName uses: `[2]` dNSName, `[7]` iPAddress. */
export const implicitPrimitive = (tagNumber: number, content: Buffer): Buffer => element(0x80 | tagNumber, content);

/** A non-negative integer given as big-endian bytes. */
export function unsignedInteger(bigEndian: Buffer): Buffer {
  let start = 0;
  while (start < bigEndian.length - 1 && bigEndian[start] === 0) start++;
  const trimmed = bigEndian.subarray(start);
  // DER integers are signed: a leading 1 bit would make the serial negative.
  return element(0x02, (trimmed[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

export function objectIdentifier(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const [first = 0, second = 0, ...rest] = arcs;
  const bytes: number[] = [first * 40 + second];
  for (const arc of rest) {
    const base128: number[] = [arc & 0x7f];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128)) {
      base128.unshift((value & 0x7f) | 0x80);
    }
    bytes.push(...base128);
  }
  return element(0x06, Buffer.from(bytes));
}

/** X.509 times: UTCTime up to 2049, GeneralizedTime after, as RFC 5280 requires. */
export function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  return date.getUTCFullYear() < 2050 ? element(0x17, Buffer.from(iso.slice(2), 'ascii')) : element(0x18, Buffer.from(iso, 'ascii'));
}
