// Verifies one delivery with the npm `standardwebhooks` package, as a Node.js receiver would.
// Usage: node verify.mjs <file with {secret, headers, body}>; exit 0 when the signature holds.
import { readFileSync } from "node:fs";
import { Webhook } from "standardwebhooks";

const { secret, headers, body } = JSON.parse(readFileSync(process.argv[2], "utf8"));
try {
  new Webhook(secret).verify(body, headers);
  console.log("verified");
} catch (e) {
  console.log("refused: " + e.message);
  process.exit(1);
}
