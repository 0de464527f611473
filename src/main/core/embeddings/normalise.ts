/** Scales a vector to unit length (L2). A zero vector stays zero rather than becoming NaN. */
export function toUnitVector(values: ArrayLike<number>): Float32Array {
  const out = new Float32Array(values.length);
  let norm = 0;
  for (let i = 0; i < values.length; i++) norm += values[i]! * values[i]!;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < values.length; i++) out[i] = values[i]! * scale;
  return out;
}
