// Drives @adobe/aio-lib-ims (Adobe's own IMS client, unmodified from npm) against Latchkey.
// The only change is the base URL: aio-lib-ims has no URL setting, so getApiUrl is replaced as
// the README documents. Prints one JSON line with what the test checks; exits non-zero on error.
const { Ims, context, getToken } = require('@adobe/aio-lib-ims')

const base = process.env.IMS_BASE
Ims.prototype.getApiUrl = function (api) { return base + api }

async function main () {
  const scopes = process.env.SCOPES.split(',')
  // 1. The direct call: multipart POST /ims/token/v2 with org_id and comma-joined scopes.
  const ims = new Ims('prod')
  const direct = await ims.getAccessTokenByClientCredentials(
    process.env.CLIENT_ID, process.env.CLIENT_SECRET, process.env.ORG_ID, scopes)
  // 2. The context flow the aio CLI uses: the OAuth Server-to-Server plugin, token cache and the
  //    validity check that reads created_at + expires_in from the token's claims.
  await context.set('latchkey', {
    client_id: process.env.CLIENT_ID,
    client_secrets: [process.env.CLIENT_SECRET],
    technical_account_email: process.env.TECH_EMAIL,
    technical_account_id: process.env.TECH_ID,
    scopes,
    ims_org_id: process.env.ORG_ID
  }, true)
  const viaContext = await getToken('latchkey')
  const again = await getToken('latchkey')
  console.log(JSON.stringify({
    direct_token: direct.access_token.token,
    direct_expiry: direct.access_token.expiry,
    context_token: viaContext,
    cached: again === viaContext
  }))
}

main().catch((e) => { console.error(String(e && e.stack || e)); process.exit(1) })
