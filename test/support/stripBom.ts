/**
 * Stands in for `strip-bom` 5 under jest. @microsoft/app-manifest `require`s it although it is an
 * ES module: Node 20.19+ allows that, jest's module loader does not. Same behaviour as the original.
 */
export default function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
