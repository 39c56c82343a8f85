/**
 * The keys of the API's users in tests: an admin (`OS_SECURITY_KEY`) and two users, Alice and
 * Bob (`OS_USER_KEYS`), for the tests of auth and of isolation between users.
 */
import { authFromEnv } from '../../src/server/http/auth.ts';

export const ADMIN = 'admin-secret';
export const ALICE = 'alice-secret';
export const BOB = 'bob-secret';

/** The headers of a request made with `key`. */
export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** The API's authentication with the admin and the two users. */
export const userKeysAuth = () => authFromEnv({ OS_SECURITY_KEY: ADMIN, OS_USER_KEYS: `alice:${ALICE},bob:${BOB}` });
