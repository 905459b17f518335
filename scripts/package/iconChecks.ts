import { readPngHeader, readRgbaPixels } from './pngImage';

/** Teams' rules for the two app icons (msteams-docs, "App icons"): what is wrong with each, if anything. */
export function colorIconProblems(file: Buffer): string[] {
  const { width, height } = readPngHeader(file);
  return width === 192 && height === 192 ? [] : [`the colour icon must be 192x192 pixels, not ${width}x${height}`];
}

export function outlineIconProblems(file: Buffer): string[] {
  const { width, height, colorType } = readPngHeader(file);
  if (width !== 32 || height !== 32) return [`the outline icon must be 32x32 pixels, not ${width}x${height}`];
  if (colorType !== 6) return ['the outline icon must be an RGBA PNG: white on a transparent background'];
  const pixels = readRgbaPixels(file);
  const visible = pixels.filter(([, , , alpha]) => alpha > 0);
  const problems: string[] = [];
  if (visible.some(([r, g, b]) => r !== 255 || g !== 255 || b !== 255)) problems.push('the outline icon may use white only');
  if (visible.length === pixels.length) problems.push('the outline icon needs a transparent background');
  if (visible.length === 0) problems.push('the outline icon is empty');
  return problems;
}
