import { inflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const RGBA = 6;

export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  /** 2 RGB, 6 RGBA, 3 palette, 0 grey, 4 grey + alpha. */
  colorType: number;
  interlaced: boolean;
}

/** Reads the IHDR chunk, which PNG requires to come first, right after the signature. */
export function readPngHeader(file: Buffer): PngHeader {
  if (!file.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG: the 8-byte signature is missing');
  if (file.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG: IHDR is not the first chunk');
  return {
    width: file.readUInt32BE(16),
    height: file.readUInt32BE(20),
    bitDepth: file.readUInt8(24),
    colorType: file.readUInt8(25),
    interlaced: file.readUInt8(28) === 1,
  };
}

/** One pixel's red, green, blue and alpha. */
export type Pixel = [number, number, number, number];

function paeth(left: number, up: number, upLeft: number): number {
  const estimate = left + up - upLeft;
  const [toLeft, toUp, toUpLeft] = [Math.abs(estimate - left), Math.abs(estimate - up), Math.abs(estimate - upLeft)];
  if (toLeft <= toUp && toLeft <= toUpLeft) return left;
  return toUp <= toUpLeft ? up : upLeft;
}

/** Every pixel of an 8-bit, non-interlaced RGBA PNG (what Teams asks of the outline icon). */
export function readRgbaPixels(file: Buffer): Pixel[] {
  const header = readPngHeader(file);
  if (header.colorType !== RGBA || header.bitDepth !== 8 || header.interlaced) {
    throw new Error(`only 8-bit non-interlaced RGBA is read here, not colour type ${header.colorType} at ${header.bitDepth} bits`);
  }
  const data: Buffer[] = [];
  for (let at = 8; at < file.length;) {
    const length = file.readUInt32BE(at);
    if (file.toString('latin1', at + 4, at + 8) === 'IDAT') data.push(file.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = header.width * 4;
  const rows: Buffer[] = [];
  for (let y = 0; y < header.height; y++) {
    const filter = raw[y * (stride + 1)];
    const row = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    const above = rows[y - 1] ?? Buffer.alloc(stride);
    for (let x = 0; x < stride; x++) {
      const left = x >= 4 ? row[x - 4] : 0;
      const upLeft = x >= 4 ? above[x - 4] : 0;
      const predicted = [0, left, above[x], (left + above[x]) >> 1, paeth(left, above[x], upLeft)][filter];
      if (predicted === undefined) throw new Error(`unknown PNG filter ${filter} on row ${y}`);
      row[x] = (row[x] + predicted) & 0xff;
    }
    rows.push(row);
  }
  return rows.flatMap((row) =>
    Array.from({ length: header.width }, (_, x): Pixel => [row[x * 4], row[x * 4 + 1], row[x * 4 + 2], row[x * 4 + 3]]),
  );
}
