/**
 * Makes a service account's token: `npx node scripts/service-account-token.ts <name> [scope ...]`
 * prints the token (give it to the machine caller; it is shown once, never stored) and the entry
 * that declares the account in OS_SERVICE_ACCOUNTS_FILE (its SHA-256 only). Without scopes, the
 * account gets AgentOS's default: run and read (src/server/auth/service-accounts.ts).
 */
import { DEFAULT_SERVICE_ACCOUNT_SCOPES, newServiceAccountToken, parseServiceAccounts } from '../src/server/auth/service-accounts.ts';

const [name, ...scopes] = process.argv.slice(2);
if (!name) {
  console.error('usage: npx node scripts/service-account-token.ts <name> [scope ...]');
  process.exit(2);
}
const { token, sha256 } = newServiceAccountToken();
const entry = { name, token_sha256: sha256, scopes: scopes.length ? scopes : DEFAULT_SERVICE_ACCOUNT_SCOPES };
parseServiceAccounts(JSON.stringify({ accounts: [entry] }), 'the new entry'); // A bad name or scope fails here, not at the API's start.
console.log(`token (shown once): ${token}`);
console.log(`entry for OS_SERVICE_ACCOUNTS_FILE's "accounts": ${JSON.stringify(entry)}`);
