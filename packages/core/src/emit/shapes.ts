// Where module shapes come from: printed once by ts-morph into printed-shapes.ts (pnpm
// gen:shapes), so a build loads neither ts-morph nor TypeScript.
import { shapeKey, type Shape } from "./module-shape-key.js";
import { PRINTED_SHAPES } from "./printed-shapes.js";

export function shapeText(shape: Shape): string {
  const text = PRINTED_SHAPES[shapeKey(shape)];
  if (text === undefined) throw new Error(`no printed shape ${shapeKey(shape)}: run pnpm gen:shapes`);
  return text;
}
