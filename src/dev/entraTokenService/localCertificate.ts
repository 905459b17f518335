import { X509Certificate, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { isIP } from 'node:net';
import {
  bitString,
  boolean,
  explicit,
  implicitPrimitive,
  objectIdentifier,
  octetString,
  sequence,
  set,
  time,
  unsignedInteger,
  utf8String,
} from './der';

/** A self-signed TLS certificate (its own CA) and its key, both PEM. */
export interface LocalCertificate {
  certPem: string;
  keyPem: string;
}

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const COMMON_NAME = '2.5.4.3';
const BASIC_CONSTRAINTS = '2.5.29.19';
const SUBJECT_ALT_NAME = '2.5.29.17';

function subjectAltName(host: string): Buffer {
  const names =
    isIP(host) === 4
      ? [implicitPrimitive(7, Buffer.from(host.split('.').map(Number))), implicitPrimitive(2, Buffer.from('localhost', 'ascii'))]
      : [implicitPrimitive(2, Buffer.from(host, 'ascii'))];
  return sequence(objectIdentifier(SUBJECT_ALT_NAME), octetString(sequence(...names)));
}

/**
 * Makes a P-256 certificate for `host` (an IPv4 address or a DNS name) valid from an hour ago
 * for `validDays`. It is marked as a CA so clients can trust it directly as their anchor.
 */
export function createLocalCertificate(host: string, validDays = 7): LocalCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const algorithm = sequence(objectIdentifier(ECDSA_WITH_SHA256));
  const name = sequence(set(sequence(objectIdentifier(COMMON_NAME), utf8String(`Local Entra authority ${host}`))));
  const now = Date.now();
  const tbs = sequence(
    explicit(0, unsignedInteger(Buffer.from([2]))), // v3
    unsignedInteger(randomBytes(16)),
    algorithm,
    name,
    sequence(time(new Date(now - 3_600_000)), time(new Date(now + validDays * 86_400_000))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(
      3,
      sequence(sequence(objectIdentifier(BASIC_CONSTRAINTS), boolean(true), octetString(sequence(boolean(true)))), subjectAltName(host)),
    ),
  );
  const der = sequence(tbs, algorithm, bitString(sign('sha256', tbs, privateKey)));
  const certPem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').trimEnd()}\n-----END CERTIFICATE-----\n`;
  // Parsing it back proves the encoding and the signature before any client sees it.
  const parsed = new X509Certificate(certPem);
  if (!parsed.verify(publicKey)) throw new Error('The generated local certificate does not verify');
  return { certPem, keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}
