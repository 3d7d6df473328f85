import { describe, expect, it } from 'vitest';
import { leakedSecrets, SECRETS } from '../helpers.js';

describe('the secrets scan (test/setup.ts)', () => {
  it('names every test secret that appears in a text, and none in a clean one', () => {
    expect(leakedSecrets('docstatus: 401 Unauthorized: Access denied')).toEqual([]);
    expect(leakedSecrets(`GET https://x/?k=${SECRETS.azureKey}\nAuthorization: Bearer ${SECRETS.azureToken}`)).toEqual(['azureKey', 'azureToken']);
    expect(leakedSecrets(`Credential=${SECRETS.awsAccessKeyId} ${SECRETS.awsSecret}`)).toEqual(['awsAccessKeyId', 'awsSecret']);
  });
});
