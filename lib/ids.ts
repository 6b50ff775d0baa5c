import { randomBytes } from "node:crypto";
import { ulid as makeUlid } from "ulid";

// ulid's own generator asks the CSPRNG for one byte per character (16 calls an id), which showed up in
// profiles of submission. Same CSPRNG, drawn 4 KiB at a time. Ids are not secrets (tokens are made
// elsewhere, from 32 fresh random bytes); they only need to be unique and unguessable enough.
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let next = 0;

function prng(): number {
  if (next >= pool.length) {
    pool = randomBytes(POOL_BYTES);
    next = 0;
  }
  return pool[next++]! / 256;
}

/** A new ULID (time-ordered, 80 random bits). */
export function ulid(): string {
  return makeUlid(undefined, prng);
}
