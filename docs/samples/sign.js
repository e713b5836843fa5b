#!/usr/bin/env node
// HiShopping Open API request signing (signature v1), Node.js standard library only.
//
//   node sign.js VECTORS.json   prints the signature of each vector in the file, one per line
'use strict';
const crypto = require('crypto');

// RFC 3986: only A-Z a-z 0-9 - . _ ~ stay as they are; encodeURIComponent also keeps ! ' ( ) *, so encode those too.
function encode(s) {
  return encodeURIComponent(s).replace(/[!'()*]/g, c => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function formDecode(s) {
  const spaced = s.replace(/\+/g, ' ');
  try { return decodeURIComponent(spaced); } catch { return spaced; }
}

function canonicalQuery(rawQuery) {
  const pairs = [];
  for (const part of rawQuery.replace(/^\?/, '').split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    pairs.push([encode(formDecode(name)), encode(formDecode(value))]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join('&');
}

function canonicalString(method, path, rawQuery, appId, timestamp, nonce, body /* Buffer */) {
  const bodySha256 = crypto.createHash('sha256').update(body).digest('hex');
  return [method.toUpperCase(), path, canonicalQuery(rawQuery), appId, String(timestamp), nonce, bodySha256].join('\n');
}

function sign(signKey, canonical) {
  return crypto.createHmac('sha256', Buffer.from(signKey, 'utf8')).update(Buffer.from(canonical, 'utf8')).digest('hex');
}

function signedHeaders({ appId, apiKey, signKey, method, path, rawQuery = '', timestamp, nonce, body = Buffer.alloc(0) }) {
  const canonical = canonicalString(method, path, rawQuery, appId, timestamp, nonce, body);
  return {
    'X-App-Id': appId,
    'X-Api-Key': apiKey,
    'X-Timestamp': String(timestamp),
    'X-Nonce': nonce,
    'X-Signature': sign(signKey, canonical),
  };
}

module.exports = { canonicalQuery, canonicalString, sign, signedHeaders };

if (require.main === module) {
  const vectors = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
  for (const v of vectors.vectors) {
    const canonical = canonicalString(v.method, v.path, v.query, vectors.app_id, v.timestamp, v.nonce, Buffer.from(v.body, 'utf8'));
    console.log(sign(vectors.sign_key, canonical));
  }
}
