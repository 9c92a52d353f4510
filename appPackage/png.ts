import { deflateSync, inflateSync } from 'node:zlib';

/**
 * The smallest PNG codec the app package needs: 8-bit RGBA (colour type 6), not interlaced.
 * Written by hand so that the icons need no image library; `readPng` exists for the tests, which
 * check what Teams will see (sizes, and the outline icon's white-on-transparent rule).
 */

export interface RgbaImage {
  width: number;
  height: number;
  /** Row after row, four bytes (red, green, blue, alpha) per pixel. */
  pixels: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const COLOUR_TYPE_RGBA = 6;
const BYTES_PER_PIXEL = 4;

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 as PNG defines it (ISO 3309), over a chunk's type and data. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

export function encodePng(image: RgbaImage): Buffer {
  const { width, height, pixels } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new Error(`A PNG needs a positive whole-number size (got ${width}x${height})`);
  const stride = width * BYTES_PER_PIXEL;
  if (pixels.length !== stride * height) throw new Error(`Expected ${stride * height} bytes of pixels for ${width}x${height}, got ${pixels.length}`);

  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bits per channel
  header.writeUInt8(COLOUR_TYPE_RGBA, 9);
  // Bytes 10-12 stay 0: deflate compression, adaptive filtering, no interlace.

  // Every scanline starts with its filter type; 0 (none) is enough for flat-coloured icons.
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);

  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

/** Width and height from the IHDR chunk, without decoding the pixels. */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (png.length < 24 || !png.subarray(0, 8).equals(SIGNATURE) || png.toString('latin1', 12, 16) !== 'IHDR') throw new Error('Not a PNG file');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Decodes an 8-bit RGBA, non-interlaced PNG (what `encodePng` writes), checking every chunk's CRC. */
export function readPng(png: Buffer): RgbaImage {
  const { width, height } = pngSize(png);
  const idat: Buffer[] = [];
  let offset = SIGNATURE.length;
  let sawEnd = false;
  while (offset < png.length && !sawEnd) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (crc32(png.subarray(offset + 4, offset + 8 + length)) !== png.readUInt32BE(offset + 8 + length)) throw new Error(`Bad CRC in the ${type} chunk`);
    if (type === 'IHDR' && (data[8] !== 8 || data[9] !== COLOUR_TYPE_RGBA || data[12] !== 0)) throw new Error('Only 8-bit RGBA, non-interlaced PNGs are supported');
    if (type === 'IDAT') idat.push(data);
    if (type === 'IEND') sawEnd = true;
    offset += 12 + length;
  }
  if (!sawEnd) throw new Error('The PNG has no IEND chunk');

  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * BYTES_PER_PIXEL;
  if (raw.length !== (stride + 1) * height) throw new Error('The PNG image data has the wrong length');
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const left = i >= BYTES_PER_PIXEL ? pixels[y * stride + i - BYTES_PER_PIXEL]! : 0;
      const up = y > 0 ? pixels[(y - 1) * stride + i]! : 0;
      const upLeft = y > 0 && i >= BYTES_PER_PIXEL ? pixels[(y - 1) * stride + i - BYTES_PER_PIXEL]! : 0;
      pixels[y * stride + i] = (line[i]! + predictor(filter, left, up, upLeft)) & 0xff;
    }
  }
  return { width, height, pixels };
}

// Other encoders may use any of the five standard filters, so the reader undoes them all.
function predictor(filter: number, left: number, up: number, upLeft: number): number {
  switch (filter) {
    case 0:
      return 0;
    case 1:
      return left;
    case 2:
      return up;
    case 3:
      return Math.floor((left + up) / 2);
    case 4: {
      const p = left + up - upLeft;
      const pa = Math.abs(p - left);
      const pb = Math.abs(p - up);
      const pc = Math.abs(p - upLeft);
      return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
    }
    default:
      throw new Error(`Unknown PNG filter type ${filter}`);
  }
}
