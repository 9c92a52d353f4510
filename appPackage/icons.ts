import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';

/**
 * The app's two icons are PNG files (appPackage/icons/ by default: a white shield with a check mark
 * on teal). A trust can use its own logo by putting its two files in a folder and naming it in
 * APP_ICONS_DIR. They are checked against what Teams requires before any package is built.
 */

export const ACCENT_COLOUR = '#0F6E6E';

/** Teams: a 192x192 full-colour icon and a 32x32 outline icon that is white on transparent. */
export const ICON_RULES = {
  color: { file: 'color.png', size: 192, what: 'the colour icon' },
  outline: { file: 'outline.png', size: 32, what: 'the outline icon' },
} as const;

export interface AppIcons {
  color: Buffer;
  outline: Buffer;
}

export interface DecodedImage {
  width: number;
  height: number;
  /** RGBA, 4 bytes a pixel, row by row. */
  pixels: Uint8Array;
}

export type IconsResult = { ok: true; icons: AppIcons } | { ok: false; problems: string[] };

export function decodePng(bytes: Buffer): DecodedImage {
  const png = PNG.sync.read(bytes);
  return { width: png.width, height: png.height, pixels: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length) };
}

/** Teams refuses an outline icon with any colour other than white (transparent pixels may be any colour). */
export function isWhiteOrTransparent(r: number, g: number, b: number, a: number): boolean {
  return a === 0 || (r === 255 && g === 255 && b === 255);
}

/** Reads both icons from a folder and says, in words an IT lead can act on, what is wrong with them. */
export function loadIcons(dir: string): IconsResult {
  const problems: string[] = [];
  const read = (rule: (typeof ICON_RULES)[keyof typeof ICON_RULES]): Buffer | undefined => {
    const file = path.join(dir, rule.file);
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      problems.push(`${file}: ${rule.what} is missing (a ${rule.size}x${rule.size} PNG)`);
      return undefined;
    }
    let image: DecodedImage;
    try {
      image = decodePng(bytes);
    } catch {
      problems.push(`${file}: ${rule.what} is not a PNG file that can be read`);
      return undefined;
    }
    if (image.width !== rule.size || image.height !== rule.size) {
      problems.push(`${file}: ${rule.what} must be ${rule.size}x${rule.size} pixels, not ${image.width}x${image.height}`);
      return undefined;
    }
    if (rule === ICON_RULES.outline) {
      let coloured = 0;
      for (let i = 0; i < image.pixels.length; i += 4) if (!isWhiteOrTransparent(image.pixels[i]!, image.pixels[i + 1]!, image.pixels[i + 2]!, image.pixels[i + 3]!)) coloured++;
      if (coloured > 0) problems.push(`${file}: ${rule.what} must be white on transparent only; ${coloured} pixels have another colour`);
    }
    return bytes;
  };
  const color = read(ICON_RULES.color);
  const outline = read(ICON_RULES.outline);
  return color && outline && problems.length === 0 ? { ok: true, icons: { color, outline } } : { ok: false, problems };
}
