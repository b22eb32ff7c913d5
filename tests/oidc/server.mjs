// An independent OAuth 2.0 / OpenID server for the OAuth proof's tests: panva's
// oidc-provider (OpenID-certified, written by no one on this project), configured the way
// the Webex recipe configures a Salesforce app:
//   - one confidential client authenticating with client_secret_post,
//   - PKCE required (S256 only),
//   - exact redirect_uri matching (a loopback callback among them),
//   - refresh tokens issued to the client (no offline_access consent dance),
//   - an interaction hook that logs a fixed user in and grants every requested scope at
//     once, so the browser step is a plain redirect chain a cookie-jar script can follow.
//
// Configuration (environment, all optional):
//   OIDC_PORT           port on 127.0.0.1 (default 0 = any free port; argv[2] overrides)
//   OIDC_CLIENT_ID      default "webex-proof-client"
//   OIDC_CLIENT_SECRET  default "webex-proof-secret-0123456789abcdef"
//   OIDC_REDIRECT_URIS  comma-separated, default "http://localhost:1717/OauthRedirect"
// When listening it prints exactly one line to stdout: `READY http://127.0.0.1:<port>`.

import http from 'node:http';
import Provider from 'oidc-provider';

const env = process.env;
const port = Number(process.argv[2] ?? env.OIDC_PORT ?? 0);
const clientId = env.OIDC_CLIENT_ID ?? 'webex-proof-client';
const clientSecret = env.OIDC_CLIENT_SECRET ?? 'webex-proof-secret-0123456789abcdef';
const redirectUris = (env.OIDC_REDIRECT_URIS ?? 'http://localhost:1717/OauthRedirect')
  .split(',')
  .map((u) => u.trim())
  .filter((u) => u.length > 0);

const ACCOUNT = 'test-user';

// The server must exist before the provider so that the issuer carries the real port.
let handler = (_req, res) => {
  res.statusCode = 503;
  res.end('starting');
};
const server = http.createServer((req, res) => handler(req, res));

server.listen(port, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: redirectUris,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    // The Webex scopes, so a request naming them is accepted and echoed in `scope`.
    scopes: ['openid', 'offline_access', 'api', 'web', 'refresh_token'],
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
      email: ['email'],
    },
    pkce: { required: () => true },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      introspection: { enabled: true },
      userinfo: { enabled: true },
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => ({
        sub,
        name: 'Test User',
        preferred_username: 'test.user@example.com',
        email: 'test.user@example.com',
      }),
    }),
    cookies: { keys: ['test-only-cookie-key-not-a-secret'] },
  });
  // Loopback over plain http: tell koa not to expect TLS-terminating proxies.
  provider.proxy = false;

  const providerCallback = provider.callback();
  handler = async (req, res) => {
    if (req.url && req.url.startsWith('/interaction/')) {
      try {
        await autoApprove(provider, req, res);
      } catch (err) {
        res.statusCode = 500;
        res.end(`interaction failed: ${err.message}`);
      }
      return;
    }
    providerCallback(req, res);
  };
  process.stdout.write(`READY ${issuer}\n`);
});

// Logs ACCOUNT in and grants everything asked for, in one step.
async function autoApprove(provider, req, res) {
  const details = await provider.interactionDetails(req, res);
  const { params, grantId } = details;
  const grant = grantId
    ? await provider.Grant.find(grantId)
    : new provider.Grant({ accountId: ACCOUNT, clientId: params.client_id });
  if (params.scope) grant.addOIDCScope(params.scope);
  const savedGrantId = await grant.save();
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: ACCOUNT }, consent: { grantId: savedGrantId } },
    { mergeWithLastSubmission: false },
  );
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
