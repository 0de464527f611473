import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeytarSecretStore } from '../../src/main/core/secrets/keytar-secret-store';

// `npm test` runs the suite inside scripts/with-keyring.sh (a private D-Bus
// session with an unlocked gnome-keyring), which sets this variable. Outside
// it there is no Secret Service to talk to.
const inKeyring = process.env.TROVE_IN_KEYRING_SESSION === '1';

describe.runIf(inKeyring)('KeytarSecretStore against the real Secret Service', () => {
  it('sets, gets, lists and deletes a secret', async () => {
    const store = new KeytarSecretStore(`trove-test-${randomUUID()}`);
    const account = 'connector:abc:token';
    const secret = `s3cr3t-${randomUUID()}`;

    expect(await store.get(account)).toBeNull();
    await store.set(account, secret);
    expect(await store.get(account)).toBe(secret);
    await store.set('embeddings:gemini:api-key', 'k');
    expect((await store.list()).sort()).toEqual(['connector:abc:token', 'embeddings:gemini:api-key']);

    await store.set(account, 'rotated');
    expect(await store.get(account)).toBe('rotated');

    expect(await store.delete(account)).toBe(true);
    expect(await store.delete(account)).toBe(false);
    expect(await store.get(account)).toBeNull();
    expect(await store.list()).toEqual(['embeddings:gemini:api-key']);
    await store.delete('embeddings:gemini:api-key');
  });
});
