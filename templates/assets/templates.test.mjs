// Consistency checks over the templates and locales. Run with: node --test templates/assets/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';

const dir = new URL('../', import.meta.url);
const read = (name) => readFileSync(new URL(name, dir), 'utf8');
const templates = readdirSync(dir).filter((f) => f.endsWith('.mustache'));
const locales = Object.fromEntries(['id', 'en'].map((l) => [l, JSON.parse(read(`locales/${l}.json`))]));
const pages = ['index', 'token', 'verify', 'stats', 'notfound'];

test('every page and partial the README names exists', () => {
  for (const name of [...pages, 'head', 'header', 'footer', 'status', 'token_form', 'upload']) {
    assert.ok(templates.includes(`${name}.mustache`), name);
  }
});

test('both locales define the same keys, all non-empty strings', () => {
  assert.deepEqual(Object.keys(locales.en).sort(), Object.keys(locales.id).sort());
  for (const [lang, strings] of Object.entries(locales)) {
    for (const [key, value] of Object.entries(strings)) {
      assert.equal(typeof value, 'string', `${lang}.${key}`);
      assert.notEqual(value.trim(), '', `${lang}.${key}`);
    }
  }
});

test('every t.key a template uses exists, and every locale key is used', () => {
  const used = new Set();
  for (const file of templates) {
    for (const match of read(file).matchAll(/\{\{\s*[#^/]?\s*t\.([a-z0-9_]+)\s*\}\}/g)) used.add(match[1]);
  }
  for (const key of used) assert.ok(key in locales.id, `missing locale key ${key}`);
  for (const key of Object.keys(locales.id)) assert.ok(used.has(key), `unused locale key ${key}`);
});

test('only doc.qr_svg is rendered unescaped', () => {
  for (const file of templates) {
    const raw = [...read(file).matchAll(/\{\{\{\s*([^}]*?)\s*\}\}\}|\{\{&\s*([^}]*?)\s*\}\}/g)].map((m) => m[1] || m[2]);
    assert.deepEqual(raw.filter((name) => name !== 'doc.qr_svg'), [], file);
  }
  assert.match(read('token.mustache'), /\{\{\{doc\.qr_svg\}\}\}/);
});

test('pages use relative links from {{root}}, load no external resource and no inline script', () => {
  for (const name of pages) {
    const html = read(`${name}.mustache`);
    assert.match(html, /^\{\{!.*\}\}\n<!doctype html>\n<html lang="\{\{lang\}\}">/s, name);
    assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//, name);
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, name);
    assert.doesNotMatch(html, /\sstyle="/, name);
  }
  for (const file of templates) {
    for (const match of read(file).matchAll(/(?:src|href)="([^"{#][^"]*)"/g)) {
      assert.fail(`${file}: link not built from {{root}} or context: ${match[1]}`);
    }
  }
});

test('pages for documents and the 404 page are not indexed', () => {
  for (const name of ['token', 'notfound']) {
    assert.match(read(`${name}.mustache`), /<meta name="robots" content="noindex,nofollow">/, name);
  }
  assert.equal(read('robots.txt'), 'User-agent: *\nDisallow: /\n');
});
