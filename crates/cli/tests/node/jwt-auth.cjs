// Drives @adobe/jwt-auth (Adobe's own legacy JWT client, unmodified from npm) against Latchkey
// with an AEM service credentials JSON, as Adobe's docs configure it: only `ims` changes (this
// server's base URL). It signs RS256 with jsonwebtoken, builds aud and metascope claims from
// `ims`, and POSTs multipart to `${ims}/ims/exchange/jwt/`. Prints one JSON line with what the
// test checks; exits non-zero on error.
const auth = require('@adobe/jwt-auth')
const fs = require('fs')

async function main () {
  const { integration } = JSON.parse(fs.readFileSync(process.env.SERVICE_CREDENTIALS, 'utf8'))
  const config = {
    clientId: integration.technicalAccount.clientId,
    clientSecret: integration.technicalAccount.clientSecret,
    technicalAccountId: integration.id,
    orgId: integration.org,
    privateKey: integration.privateKey,
    metaScopes: integration.metascopes,
    ims: process.env.IMS_BASE
  }
  const ok = await auth(config)
  // A metascope the credential does not have: jwt-auth surfaces Adobe's error code and text.
  let refused = null
  try {
    await auth({ ...config, metaScopes: 'ent_cloudmgr_sdk' })
  } catch (e) {
    refused = { code: e.code, message: e.message }
  }
  console.log(JSON.stringify({ ok, refused }))
}

main().catch((e) => { console.error(String(e && e.stack || e)); process.exit(1) })
