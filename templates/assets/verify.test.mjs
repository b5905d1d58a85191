// Tests for the upload check's lookup core. Run with: node --test templates/assets/
// The shards are built here with node's WebCrypto straight from the format in
// README.md, independently of verify.js, so a drift on either side fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto, createHash, randomBytes } from 'node:crypto';

await import('./verify.js');
const V = globalThis.SegelVerify;
const subtle = webcrypto.subtle;
const enc = new TextEncoder();

function concat(prefix, bytes) {
  const head = enc.encode(prefix);
  const out = new Uint8Array(head.length + bytes.length);
  out.set(head);
  out.set(bytes, head.length);
  return out;
}

const sha256 = (bytes) => new Uint8Array(createHash('sha256').update(bytes).digest());
const hex = (bytes) => Buffer.from(bytes).toString('hex');
const b64 = (bytes) => Buffer.from(bytes).toString('base64');

async function encryptEntry(fileHash, record, { keyHash = fileHash, iv = randomBytes(12) } = {}) {
  const id = hex(sha256(concat('segel-index:', fileHash)));
  const raw = sha256(concat('segel-key:', keyHash));
  const key = await subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt']);
  const ct = new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv, tagLength: 128 },
    key, enc.encode(JSON.stringify(record))));
  return { id, iv: b64(iv), ct: b64(ct) };
}

const shardOf = (id) => `api/hash/${id.slice(0, 2)}/${id.slice(2, 4)}.json`;

/** A published index: every shard exists, most of them empty. */
function siteWith(entries) {
  const shards = new Map();
  for (const entry of entries) {
    const path = shardOf(entry.id);
    if (!shards.has(path)) shards.set(path, { v: 1, entries: [] });
    shards.get(path).entries.push(entry);
  }
  const requested = [];
  const load = async (path) => {
    requested.push(path);
    // A site of the old layout (65,536 shards) has no layout file: the loader's null, as for a 404.
    if (path === 'api/hash/layout.json') return null;
    // A round trip through JSON text, as fetch() would give it.
    return JSON.parse(JSON.stringify(shards.get(path) || { v: 1, entries: [] }));
  };
  return { shards, load, requested };
}

/** A random entry id that lands in the same shard as id. */
const decoyFor = (id) => ({ id: id.slice(0, 4) + hex(randomBytes(30)), iv: b64(randomBytes(12)), ct: b64(randomBytes(80)) });

const pdf = (text) => enc.encode(`%PDF-1.7\n${text}\n%%EOF\n`);

const docs = [
  // Entries name the document's page since 0.6 (sharded, or flat for a document signed before); older ones name none.
  { bytes: pdf('transcript'), record: { token: 'Q2xhc3NpYy10b2tlbi0wMDAx', name: 'Transkrip Nilai', status: 'valid', signed_at: '2025-11-19T08:30:00Z', page: 'v/q/Q2xhc3NpYy10b2tlbi0wMDAx/', log_index: 7, log_size: 12 } },
  { bytes: pdf('letter'), record: { token: 'aB3_-xYz0123456789AbCdEf', name: 'Surat <Keterangan> & "Aktif"', status: 'invalidated', signed_at: '2025-10-01T01:02:03Z', page: 'v/aB3_-xYz0123456789AbCdEf/' } },
  { bytes: pdf('certificate'), record: { token: 'revoked_token_0123456789', name: 'Sertifikat', status: 'revoked', signed_at: '2025-09-09T09:09:09Z' } },
  // Several signers, in order (since 0.7).
  { bytes: pdf('joint'), record: { token: 'Sm9pbnQtY2VydGlmaWNhdGUx', name: 'Sertifikat Bersama', status: 'valid', signed_at: '2026-12-07T02:00:00Z', page: 'v/s/Sm9pbnQtY2VydGlmaWNhdGUx/',
    signers: [{ name: 'Dr. Kaprodi', signed_at: '2026-12-07T01:00:00Z', state: 'signed' }, { name: 'Prof. Dekan <b>', signed_at: '2026-12-07T02:00:00Z', state: 'signed' }] } },
];

async function publishedSite() {
  const entries = [];
  for (const doc of docs) {
    const entry = await encryptEntry(sha256(doc.bytes), doc.record);
    entries.push(entry, decoyFor(entry.id), decoyFor(entry.id));
  }
  return siteWith(entries);
}

test('shard path is api/hash/<id[0..2]>/<id[2..4]>.json and rejects non-ids', () => {
  const id = 'ab12' + '0'.repeat(60);
  assert.equal(V.shardPath(id), 'api/hash/ab/12.json');
  assert.throws(() => V.shardPath('../../etc/passwd'), (e) => e.code === 'index');
  assert.throws(() => V.shardPath('AB12' + '0'.repeat(60)), (e) => e.code === 'index');
});

test('index id is SHA-256 of "segel-index:" + file hash', async () => {
  const fileHash = sha256(pdf('x'));
  assert.equal(await V.indexId(subtle, fileHash), hex(sha256(concat('segel-index:', fileHash))));
});

test('finds every published file, with its record, reading only its own shard', async () => {
  const site = await publishedSite();
  for (const doc of docs) {
    site.requested.length = 0;
    const result = await V.checkBytes(subtle, doc.bytes, site.load);
    assert.equal(result.found, true);
    assert.equal(result.sha256, hex(sha256(doc.bytes)));
    assert.deepEqual(result.record, { page: `v/${doc.record.token}/`, ...doc.record });
    assert.deepEqual(site.requested, ['api/hash/layout.json', shardOf(result.id)]);
    assert.equal(site.shards.get(shardOf(result.id)).entries.length >= 3, true);
  }
});

test('a modified or unknown file is not found', async () => {
  const site = await publishedSite();
  const modified = new Uint8Array(docs[0].bytes);
  modified[modified.length - 2] ^= 0x01;
  for (const bytes of [modified, pdf('never issued')]) {
    const result = await V.checkBytes(subtle, bytes, site.load);
    assert.equal(result.found, false);
    assert.equal(result.record, undefined);
  }
});

test('not found even when a decoy sits at the very id of the file', async () => {
  // Same id, but encrypted under another file's key: decryption must fail closed.
  const target = sha256(pdf('target'));
  const forged = await encryptEntry(target, docs[0].record, { keyHash: sha256(pdf('other')) });
  const site = siteWith([forged]);
  await assert.rejects(V.lookupHash(subtle, target, site.load), (e) => e.code === 'index');
});

test('a tampered ciphertext is an index error, not a result', async () => {
  const fileHash = sha256(docs[0].bytes);
  const entry = await encryptEntry(fileHash, docs[0].record);
  const ct = Buffer.from(entry.ct, 'base64');
  ct[3] ^= 0x80;
  const site = siteWith([{ ...entry, ct: ct.toString('base64') }]);
  await assert.rejects(V.lookupHash(subtle, fileHash, site.load), (e) => e.code === 'index');
});

test('a record that is not a valid record is an index error', async () => {
  const cases = [
    { token: '../../../evil', name: 'x', status: 'valid', signed_at: '' },
    { token: 'Q2xhc3NpYy10b2tlbi0wMDAx', name: 'x', status: 'approved', signed_at: '' },
    { token: 'Q2xhc3NpYy10b2tlbi0wMDAx', status: 'valid' },
    // A page must be one of the token's own two addresses.
    { token: 'Q2xhc3NpYy10b2tlbi0wMDAx', name: 'x', status: 'valid', signed_at: '', page: 'v/x/Q2xhc3NpYy10b2tlbi0wMDAx/' },
    { token: 'Q2xhc3NpYy10b2tlbi0wMDAx', name: 'x', status: 'valid', signed_at: '', page: '../../evil/' },
    { token: 'Q2xhc3NpYy10b2tlbi0wMDAx', name: 'x', status: 'valid', signed_at: '', page: 'v/aB3_-xYz0123456789AbCdEf/' },
    // The issuance log's place: both numbers, the index inside the tree.
    { token: 'Q2xhc3NpYy10b2tlbi0wMDAx', name: 'x', status: 'valid', signed_at: '', log_index: 3 },
    { token: 'Q2xhc3NpYy10b2tlbi0wMDAx', name: 'x', status: 'valid', signed_at: '', log_index: 3, log_size: 3 },
    { token: 'Q2xhc3NpYy10b2tlbi0wMDAx', name: 'x', status: 'valid', signed_at: '', log_index: '1', log_size: 3 },
    // Several signers: a list of at least two, each with a name, a time and a known state.
    { token: 'Q2xhc3NpYy10b2tlbi0wMDAx', name: 'x', status: 'valid', signed_at: '', signers: 'Dr. A' },
    { token: 'Q2xhc3NpYy10b2tlbi0wMDAx', name: 'x', status: 'valid', signed_at: '', signers: [{ name: 'A', signed_at: '', state: 'signed' }] },
    { token: 'Q2xhc3NpYy10b2tlbi0wMDAx', name: 'x', status: 'valid', signed_at: '', signers: [{ name: 'A', signed_at: '', state: 'signed' }, { name: 'B', signed_at: '', state: 'forged' }] },
    { token: 'Q2xhc3NpYy10b2tlbi0wMDAx', name: 'x', status: 'valid', signed_at: '', signers: [{ name: 'A', signed_at: '', state: 'signed' }, { signed_at: '', state: 'signed' }] },
  ];
  for (const record of cases) {
    const fileHash = sha256(pdf(JSON.stringify(record)));
    const site = siteWith([await encryptEntry(fileHash, record)]);
    await assert.rejects(V.lookupHash(subtle, fileHash, site.load), (e) => e.code === 'index', JSON.stringify(record));
  }
});

test('malformed shards and entries fail closed', async () => {
  const fileHash = sha256(docs[0].bytes);
  const entry = await encryptEntry(fileHash, docs[0].record);
  const shards = [
    null,
    { v: 2, entries: [entry] },
    { v: 1 },
    { v: 1, entries: [entry, entry] },
    { v: 1, entries: [{ ...entry, iv: b64(randomBytes(16)) }] },
    { v: 1, entries: [{ ...entry, ct: 'not base64!' }] },
  ];
  for (const shard of shards) {
    await assert.rejects(V.lookupHash(subtle, fileHash, async () => shard), (e) => e.code === 'index', JSON.stringify(shard));
  }
});

test('a shard that cannot be loaded is reported, never taken as "not found"', async () => {
  const failing = async (path) => { throw V.LookupError('fetch', 'HTTP 404 for ' + path); };
  await assert.rejects(V.checkBytes(subtle, docs[0].bytes, failing), (e) => e.code === 'fetch');
});

test('without WebCrypto the check refuses with no_webcrypto', async () => {
  const site = await publishedSite();
  await assert.rejects(V.checkBytes(null, docs[0].bytes, site.load), (e) => e.code === 'no_webcrypto');
});

test('recognises a PDF header within the first 1024 bytes only', () => {
  assert.equal(V.looksLikePdf(pdf('a')), true);
  const late = new Uint8Array(1100);
  late.set(enc.encode('%PDF-1.4'), 500);
  assert.equal(V.looksLikePdf(late), true);
  late.fill(0);
  late.set(enc.encode('%PDF-1.4'), 1020);
  assert.equal(V.looksLikePdf(late), false);
  assert.equal(V.looksLikePdf(enc.encode('PK\x03\x04 a zip file')), false);
});

test('trailing rule: white-space after %%EOF matches the published file, other bytes are reported as appended', async () => {
  const site = await publishedSite();
  const genuine = docs[0].bytes;
  const withNewline = new Uint8Array([...genuine, 0x0a]);
  const found = await V.checkWithTrailingRule(subtle, withNewline, site.load);
  assert.equal(found.found, true);
  assert.equal(found.record.token, docs[0].record.token);
  assert.deepEqual(found.trailing, { bytes: 1, whitespace: true });

  const withX = new Uint8Array([...genuine, 0x58]);
  const appended = await V.checkWithTrailingRule(subtle, withX, site.load);
  assert.equal(appended.found, true);
  assert.deepEqual(appended.trailing, { bytes: 1, whitespace: false });

  const tooMuch = new Uint8Array([...genuine, ...new Uint8Array(V.MAX_TRAILING_WHITESPACE + 1).fill(0x20)]);
  const long = await V.checkWithTrailingRule(subtle, tooMuch, site.load);
  assert.equal(long.trailing.whitespace, false, 'more white-space than the rule allows counts as appended');

  const exact = await V.checkWithTrailingRule(subtle, genuine, site.load);
  assert.equal(exact.found, true);
  assert.equal(exact.trailing, undefined);

  const unknown = await V.checkWithTrailingRule(subtle, new Uint8Array([...pdf('other'), 0x0a]), site.load);
  assert.equal(unknown.found, false);
});

test('signedEnds lists the ends after %%EOF and after one end-of-line, latest first', () => {
  const bytes = enc.encode('%PDF-1.7\n%%EOF\r\n  ');
  const ends = V.signedEnds(bytes).map((e) => e.length);
  const eof = bytes.length - 4;
  assert.deepEqual(ends, [eof, eof + 1, eof + 2]);
});

test('reads the layout first: 256 and 4,096 shards as api/hash/<2 or 3 hex>.json, none means 65,536', async () => {
  const doc = docs[0];
  const entry = await encryptEntry(sha256(doc.bytes), doc.record);
  for (const prefix of [2, 3]) {
    const path = `api/hash/${entry.id.slice(0, prefix)}.json`;
    const requested = [];
    const load = async (p) => {
      requested.push(p);
      if (p === 'api/hash/layout.json') return { v: 1, prefix, shards: 1 << (4 * prefix) };
      return p === path ? { v: 1, entries: [entry] } : { v: 1, entries: [] };
    };
    const result = await V.checkBytes(subtle, doc.bytes, load);
    assert.equal(result.found, true, `layout ${prefix}`);
    assert.deepEqual(requested, ['api/hash/layout.json', path]);
  }
  assert.equal(V.shardPath(entry.id, 2), `api/hash/${entry.id.slice(0, 2)}.json`);
  assert.equal(V.shardPath(entry.id), shardOf(entry.id));
  await assert.rejects(V.checkBytes(subtle, doc.bytes, async (p) => (p === 'api/hash/layout.json' ? { v: 1, prefix: 5 } : { v: 1, entries: [] })),
    (e) => e.code === 'index');
});

test('a layout file that is there but malformed is an error, never the old layout', async () => {
  const doc = docs[0];
  const entry = await encryptEntry(sha256(doc.bytes), doc.record);
  // A host deployed without deleting (rsync without --delete, FTP) may still
  // hold the old layout's shards: guessing it would find a stale answer.
  for (const layout of [{}, { prefix: '2' }, { v: 1 }, { v: 2, prefix: 2 }, [], 'x', 0, false, undefined]) {
    const requested = [];
    const load = async (p) => {
      requested.push(p);
      return p === 'api/hash/layout.json' ? layout : { v: 1, entries: [entry] };
    };
    await assert.rejects(V.checkBytes(subtle, doc.bytes, load), (e) => e.code === 'index', JSON.stringify(layout));
    assert.deepEqual(requested, ['api/hash/layout.json'], 'no shard is read');
  }
  // Only an absent file (the loader's null, from a 404) means a site from before 0.5.
  const old = await V.checkBytes(subtle, doc.bytes, async (p) => (p === 'api/hash/layout.json' ? null
    : p === shardOf(entry.id) ? { v: 1, entries: [entry] } : { v: 1, entries: [] }));
  assert.equal(old.found, true);
});

// DocumentAddress.swift has the same rule (FolderLimitTests).
test('a document lives under v/<first character, lower-cased>/<token>/, or flat before 0.6', async () => {
  const token = 'AbCdEfGhIjKlMnOpQrStUvW';
  assert.deepEqual(V.documentAddress(token), {
    sharded: `v/a/${token}/`, flat: `v/${token}/`, record: `api/verify/a/${token}.json`
  });
  const asked = [];
  const answer = (status) => async (url, options) => { asked.push([url, options.method]); return { ok: status === 200, status }; };
  assert.equal(await V.documentPage(token, './', async () => ({ ok: false, status: 405 })), `v/a/${token}/`, 'HEAD refused: the new layout');
  assert.equal(await V.documentPage(token, './', answer(200)), `v/a/${token}/`);
  assert.deepEqual(asked, [[`http://localhost/api/verify/a/${token}.json`, 'HEAD']]);
  assert.equal(await V.documentPage(token, './', answer(404)), `v/${token}/`, 'the site has no sharded record: flat');
  const offline = async () => { throw new TypeError('Failed to fetch'); };
  assert.equal(await V.documentPage(token, './', offline), `v/a/${token}/`, 'cannot ask: the layout of new documents');
});
