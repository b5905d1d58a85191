// Tests for the token box's parsing. Run with: node --test templates/assets/
import { test } from 'node:test';
import assert from 'node:assert/strict';

await import('./site.js');
const { extractToken } = globalThis.SegelSite;
const token = 'Xy3_kLm-90AbCdEfGhIjKl';

test('accepts a bare token, trimmed', () => {
  assert.equal(extractToken(token), token);
  assert.equal(extractToken(`  ${token}\n`), token);
});

test('takes the token out of a pasted verification address', () => {
  for (const address of [
    `https://verify.example.ac.id/v/${token}/`,
    `https://verify.example.ac.id/v/${token}`,
    `https://host.example/portal/sub/v/${token}/index.html`,
    `https://host.example/v/${token}/?utm=qr#top`,
    `verify.example.ac.id/v/${token}/`,
    `https://host.example/other/${token}`,
  ]) {
    assert.equal(extractToken(address), token, address);
  }
});

test('rejects what cannot be a token', () => {
  for (const input of ['', '   ', 'short', 'has space in it 1234567', '../../../../etc/passwd',
    'https://host.example/v/', 'https://host.example/', '<script>alert(1)</script>xxxxxxxx']) {
    assert.equal(extractToken(input), null, input);
  }
});
