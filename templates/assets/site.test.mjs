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
    `https://verify.example.ac.id/v/${token.slice(0, 1).toLowerCase()}/${token}/`,
    `https://host.example/portal/v/${token.slice(0, 1).toLowerCase()}/${token}/index.html?utm=qr`,
  ]) {
    assert.equal(extractToken(address), token, address);
  }
});

test('rejects what cannot be a token', () => {
  for (const input of ['', '   ', 'short', 'has space in it 1234567', '../../../../etc/passwd',
    'https://host.example/v/', 'https://host.example/', '<script>alert(1)</script>xxxxxxxx',
    `https://host.example/v/z/${token}/`]) {
    assert.equal(extractToken(input), null, input);
  }
});

// The same vectors as LookupCodeTests.swift: one rule in two languages.
test('extractCode reads a lookup code as people type it', () => {
  const S = globalThis.SegelSite;
  assert.equal(S.extractCode('ZKHY-D0NA-GGF6-KBQA'), 'ZKHYD0NAGGF6KBQA');
  assert.equal(S.extractCode('zkhy d0na ggf6 kbqa'), 'ZKHYD0NAGGF6KBQA');
  assert.equal(S.extractCode('ZKHY-DONA-GGF6-KBQA'), 'ZKHYD0NAGGF6KBQA', 'O is read as 0');
  assert.equal(S.extractCode('SIG-ZKHYD0NAGGF6KBQA'), 'ZKHYD0NAGGF6KBQA', 'a signature id is a code');
  assert.equal(S.extractCode('7F3A-9CIL-E0AB-CDEF'), '7F3A9C11E0ABCDEF', 'I and L are read as 1');
  assert.equal(S.extractCode('https://verify.example.ac.id/v/zkhy-d0na-ggf6-kbqa'), 'ZKHYD0NAGGF6KBQA');
  assert.equal(S.extractCode('ZKHY-D0NA-GGF6-KBQ'), null, 'too short');
  assert.equal(S.extractCode('ZKHY-D0NA-GGF6-KBQU'), null, 'U is not in the alphabet');
  assert.equal(S.extractCode('MfWjnvsS3-8guQIwYZxuBVc'), null, 'a token is not a code');
});
