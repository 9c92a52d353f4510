import { encodePng } from './png';

/**
 * The app's two icons, drawn in code so the package needs no image files or image libraries: a
 * shield (safeguarding) with a check mark (steps done). Teams wants a 192x192 full-colour icon and
 * a 32x32 outline icon that is white on transparent.
 */

type Rgba = readonly [number, number, number, number];
/** A point-in-shape test in unit coordinates: (0, 0) is the top-left corner, (1, 1) the bottom-right. */
type Shape = (x: number, y: number) => boolean;

export const ACCENT_COLOUR = '#0F6E6E';
const TEAL: Rgba = [0x0f, 0x6e, 0x6e, 255];
const WHITE: Rgba = [255, 255, 255, 255];

export const COLOUR_ICON_SIZE = 192;
export const OUTLINE_ICON_SIZE = 32;
// Enough samples per pixel for smooth edges at 32x32 without noticeable cost.
const SAMPLES_PER_AXIS = 8;

function roundedSquare(cornerRadius: number): Shape {
  return (x, y) => {
    const dx = Math.max(cornerRadius - x, x - (1 - cornerRadius), 0);
    const dy = Math.max(cornerRadius - y, y - (1 - cornerRadius), 0);
    return x >= 0 && x <= 1 && y >= 0 && y <= 1 && dx * dx + dy * dy <= cornerRadius * cornerRadius;
  };
}

/** Straight sides down to the shoulder, then curving in to a point at the bottom. */
function shield(box: { top: number; shoulder: number; tip: number; halfWidth: number }): Shape {
  return (x, y) => {
    if (y < box.top || y > box.tip) return false;
    const t = y <= box.shoulder ? 0 : (y - box.shoulder) / (box.tip - box.shoulder);
    return Math.abs(x - 0.5) <= box.halfWidth * Math.cos((t * Math.PI) / 2);
  };
}

/** A thick polyline with round ends and joints. */
function stroke(points: ReadonlyArray<readonly [number, number]>, width: number): Shape {
  const r2 = (width / 2) ** 2;
  return (x, y) => {
    for (let i = 1; i < points.length; i++) {
      const [ax, ay] = points[i - 1]!;
      const [bx, by] = points[i]!;
      const len2 = (bx - ax) ** 2 + (by - ay) ** 2;
      const t = Math.min(1, Math.max(0, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / len2));
      if ((x - ax - t * (bx - ax)) ** 2 + (y - ay - t * (by - ay)) ** 2 <= r2) return true;
    }
    return false;
  };
}

/** The colour if `paint` gives the same one at the pixel's corners, edge midpoints and centre. */
function uniformColour(size: number, px: number, py: number, paint: (x: number, y: number) => Rgba | undefined): Rgba | undefined | 'mixed' {
  const first = paint(px / size, py / size);
  for (let sy = 0; sy <= 2; sy++) {
    for (let sx = 0; sx <= 2; sx++) if (paint((px + sx / 2) / size, (py + sy / 2) / size) !== first) return 'mixed';
  }
  return first;
}

/**
 * Supersamples `paint` over each pixel and averages with premultiplied alpha, so edges are smooth.
 * Pixels well inside one shape are filled directly: supersampling them all takes seconds.
 */
function rasterise(size: number, paint: (x: number, y: number) => Rgba | undefined): Uint8Array {
  const pixels = new Uint8Array(size * size * 4);
  const n = SAMPLES_PER_AXIS;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const uniform = uniformColour(size, px, py, paint);
      if (uniform !== 'mixed') {
        if (uniform) pixels.set(uniform, (py * size + px) * 4);
        continue;
      }
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const colour = paint((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size);
          if (!colour) continue;
          const alpha = colour[3] / 255;
          r += colour[0] * alpha;
          g += colour[1] * alpha;
          b += colour[2] * alpha;
          a += alpha;
        }
      }
      const i = (py * size + px) * 4;
      if (a > 0) {
        pixels[i] = Math.round(r / a);
        pixels[i + 1] = Math.round(g / a);
        pixels[i + 2] = Math.round(b / a);
      }
      pixels[i + 3] = Math.round((a / (n * n)) * 255);
    }
  }
  return pixels;
}

/** 192x192: a white shield with a teal check mark on a teal rounded square. */
export function colorIcon(): Buffer {
  const background = roundedSquare(0.16);
  const badge = shield({ top: 0.22, shoulder: 0.46, tip: 0.8, halfWidth: 0.23 });
  const tick = stroke([[0.39, 0.49], [0.47, 0.57], [0.62, 0.4]], 0.065);
  const pixels = rasterise(COLOUR_ICON_SIZE, (x, y) => {
    if (!background(x, y)) return undefined;
    return badge(x, y) && !tick(x, y) ? WHITE : TEAL;
  });
  return encodePng({ width: COLOUR_ICON_SIZE, height: COLOUR_ICON_SIZE, pixels });
}

/**
 * 32x32: the same shield in white with the check mark cut out, on transparent. Every pixel is pure
 * white at some opacity (Teams rejects other colours in an outline icon), so transparent pixels are
 * white at zero opacity rather than black.
 */
export function outlineIcon(): Buffer {
  const badge = shield({ top: 0.1, shoulder: 0.42, tip: 0.92, halfWidth: 0.36 });
  const tick = stroke([[0.33, 0.47], [0.46, 0.6], [0.69, 0.33]], 0.11);
  const pixels = rasterise(OUTLINE_ICON_SIZE, (x, y) => (badge(x, y) && !tick(x, y) ? WHITE : undefined));
  for (let i = 0; i < pixels.length; i += 4) pixels.fill(255, i, i + 3);
  return encodePng({ width: OUTLINE_ICON_SIZE, height: OUTLINE_ICON_SIZE, pixels });
}
