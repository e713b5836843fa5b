#!/usr/bin/env node
// Verify a HiShopping webhook (X-HiShop-Signature v1) with Node's standard library only.
//
//   node webhook.js SIGN_KEY SIGNATURE_HEADER BODY_FILE [NOW]
//     prints "ok <event id> <type>" and exits 0 when the signature is good, else prints why and exits 1
//
// In a receiver: call verify() with the raw body Buffer (before any JSON parsing), then dedupe by the event id.
"use strict";
const crypto = require("crypto");
const fs = require("fs");

const TOLERANCE_SECONDS = 300;

function verify(signKey, header, body, now = Date.now() / 1000) {
  const fields = Object.fromEntries(header.split(",").filter((p) => p.includes("=")).map((p) => [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1)]));
  const timestamp = fields.t;
  const signature = fields.v1;
  if (!timestamp || !signature || !/^\d+$/.test(timestamp)) throw new Error("the header is not t=<unix seconds>,v1=<hex>");
  if (Math.abs(now - Number(timestamp)) > TOLERANCE_SECONDS) throw new Error("the timestamp is more than 300 s away: a replay, or a clock that is off");
  const expected = crypto.createHmac("sha256", signKey).update(Buffer.concat([Buffer.from(timestamp + "."), body])).digest("hex");
  const a = Buffer.from(expected);
  const b = Buffer.from(signature);
  if (a.length !== b.length || !crypto.timingSafeEqual(a, b)) throw new Error("the signature does not match this body and sign key");
  return JSON.parse(body.toString("utf8"));
}

module.exports = { verify };

if (require.main === module) {
  const [key, header, path, now] = process.argv.slice(2);
  try {
    const event = verify(key, header, fs.readFileSync(path), now === undefined ? undefined : Number(now));
    console.log(`ok ${event.id} ${event.type}`);
  } catch (e) {
    console.log(`refused: ${e.message}`);
    process.exit(1);
  }
}
