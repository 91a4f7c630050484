import { randomInt } from 'node:crypto';
import { SECRET_ALPHABETS, type SecretGenerator } from './manifest-schema';

/** Draws an integer in [0, max) uniformly; `node:crypto.randomInt` (a CSPRNG, no modulo bias) by default. */
export type RandomIndex = (max: number) => number;

/**
 * Generates one per-deployment secret: `spec.length` characters, each drawn uniformly and independently from
 * the named alphabet with a cryptographic RNG. 32 alphanumeric characters carry about 190 bits.
 */
export function generateSecret(spec: SecretGenerator, random: RandomIndex = randomInt): string {
  const alphabet = SECRET_ALPHABETS[spec.alphabet];
  let out = '';
  for (let i = 0; i < spec.length; i++) out += alphabet[random(alphabet.length)];
  return out;
}

/** Bits of entropy of a secret generated from `spec` (length x log2(alphabet size)). */
export function secretEntropyBits(spec: SecretGenerator): number {
  return spec.length * Math.log2(SECRET_ALPHABETS[spec.alphabet].length);
}
