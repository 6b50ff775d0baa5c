import crypto, { type KeyObject } from "node:crypto";
import { env } from "@/lib/env";
import { keptSecret, readKeptSecret } from "@/lib/kept-secret.mjs";
import { sha256Hex } from "@/lib/sha256";

/**
 * The keys that make the audit log hold against someone who can write to the database: both live
 * outside it (the environment, else `.data/`, like AUTH_SECRET). Every instance sharing a database
 * must be given the same ones.
 */

export interface AuditKey {
  /** A public name for the key (a hash of it), stored on every event so a rotation can tell keys apart. */
  id: string;
  secret: Buffer;
}

const AUDIT_KEY_FILE = "audit-key";
const CHECKPOINT_KEY_FILE = "checkpoint-key.pem";

let auditKeyCache: AuditKey | undefined;

/** The key that MACs audit events: COUNTERSIGN_AUDIT_KEY, else generated once into .data/audit-key. */
export function auditKey(): AuditKey {
  if (!auditKeyCache) {
    const secret = keptSecret(AUDIT_KEY_FILE, env().COUNTERSIGN_AUDIT_KEY, () => crypto.randomBytes(32).toString("base64url"));
    if (secret.length < 32) throw new Error(`the audit key in .data/${AUDIT_KEY_FILE} must be at least 32 characters`);
    auditKeyCache = { id: sha256Hex(`countersign audit key\n${secret}`).slice(0, 16), secret: Buffer.from(secret, "utf8") };
  }
  return auditKeyCache;
}

/**
 * The key an event names, if this process holds it. Only the current key today; retired keys would
 * join here (each event carries its key's id), which is all a rotation needs on the reading side.
 */
export function auditKeyById(id: string | null): AuditKey | undefined {
  const key = auditKey();
  return id === key.id ? key : undefined;
}

export interface CheckpointSigner {
  /** Hash of the public key, written on every checkpoint. */
  id: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public key as base64 DER (SPKI): what `audit:verify --public-key` takes. */
  publicKeyText: string;
}

function parsePrivateKey(text: string): KeyObject {
  const key = text.includes("-----BEGIN")
    ? crypto.createPrivateKey(text)
    : crypto.createPrivateKey({ key: Buffer.from(text, "base64"), format: "der", type: "pkcs8" });
  if (key.asymmetricKeyType !== "ed25519") throw new Error(`the checkpoint key must be Ed25519, not ${key.asymmetricKeyType}`);
  return key;
}

/** A public key as PEM, or base64 of its DER (SPKI), as printed at start. */
export function parsePublicKey(text: string): KeyObject {
  const key = text.includes("-----BEGIN")
    ? crypto.createPublicKey(text)
    : crypto.createPublicKey({ key: Buffer.from(text.trim(), "base64"), format: "der", type: "spki" });
  if (key.asymmetricKeyType !== "ed25519") throw new Error(`the checkpoint public key must be Ed25519, not ${key.asymmetricKeyType}`);
  return key;
}

export function publicKeyId(key: KeyObject): string {
  return crypto.createHash("sha256").update(key.export({ format: "der", type: "spki" })).digest("hex").slice(0, 16);
}

function signer(privateKey: KeyObject): CheckpointSigner {
  const publicKey = crypto.createPublicKey(privateKey);
  return {
    id: publicKeyId(publicKey),
    privateKey,
    publicKey,
    publicKeyText: publicKey.export({ format: "der", type: "spki" }).toString("base64"),
  };
}

let signerCache: CheckpointSigner | undefined;

/** The Ed25519 key that signs checkpoints: COUNTERSIGN_CHECKPOINT_KEY, else generated into .data/. */
export function checkpointSigner(): CheckpointSigner {
  signerCache ??= signer(
    parsePrivateKey(
      keptSecret(CHECKPOINT_KEY_FILE, env().COUNTERSIGN_CHECKPOINT_KEY, () =>
        crypto.generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
      ),
    ),
  );
  return signerCache;
}

/** This machine's checkpoint public key, if it has the private key (never generates one). */
export function localCheckpointPublicKey(): KeyObject | undefined {
  const text = readKeptSecret(CHECKPOINT_KEY_FILE, env().COUNTERSIGN_CHECKPOINT_KEY);
  return text ? signer(parsePrivateKey(text)).publicKey : undefined;
}
