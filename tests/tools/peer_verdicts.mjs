#!/usr/bin/env node
// peer_verdicts.mjs — sigstore-js verdicts for many bundles in one process,
// for comparing with airlock. Runs from the folder scripts/peer-sigstore-js
// prepares (it imports sigstore-js from there).
//
// usage: node peer_verdicts.mjs LISTFILE TRUSTED_ROOT IDENTITY ISSUER KEYPEM
//   LISTFILE lines: BUNDLE<TAB>ARTIFACT<TAB>key|id
// prints: BUNDLE<TAB>OK|FAIL<TAB>reason
//
// Artifact binding is completed as verify.mjs does: sigstore-js does not
// check that a DSSE statement's subject is the artifact, so this does.
import fs from 'node:fs';
import crypto from 'node:crypto';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { bundleFromJSON } from '@sigstore/bundle';
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';

const [listFile, trPath, identity, issuer, keyPem] = process.argv.slice(2);
const tr = TrustedRoot.fromJSON(JSON.parse(fs.readFileSync(trPath, 'utf8')));
const keyObj = crypto.createPublicKey(fs.readFileSync(keyPem, 'utf8'));
const keyed = new Verifier(toTrustMaterial(tr, () => ({ publicKey: keyObj, validFor: () => true })), {});
const certed = new Verifier(toTrustMaterial(tr), {});
// sigstore-js matches the SAN as an unanchored RegExp: escape it so that it
// behaves as the exact match airlock applies.
const esc = (s) => '^' + s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '$';
const policy = { subjectAlternativeName: esc(identity), extensions: { issuer } };

for (const line of fs.readFileSync(listFile, 'utf8').trim().split('\n')) {
  const [bundlePath, artifactPath, mode] = line.split('\t');
  let verdict = 'OK', reason = '';
  try {
    const bundle = bundleFromJSON(JSON.parse(fs.readFileSync(bundlePath, 'utf8')));
    const artifact = fs.readFileSync(artifactPath);
    const entity = toSignedEntity(bundle, artifact);
    if (mode === 'key') keyed.verify(entity);
    else certed.verify(entity, policy);
    if (bundle.content.$case === 'dsseEnvelope') {
      const st = JSON.parse(bundle.content.dsseEnvelope.payload.toString('utf8'));
      const h = crypto.createHash('sha256').update(artifact).digest('hex');
      if (!(st.subject || []).some((s) => s.digest && s.digest.sha256 === h)) throw new Error('artifact is not a subject');
    }
  } catch (e) {
    verdict = 'FAIL';
    reason = `${e.code || e.name}: ${e.message}`.replace(/\s+/g, ' ').slice(0, 200);
  }
  console.log(`${bundlePath}\t${verdict}\t${reason}`);
}
