/*
 * segel portal: the upload check.
 *
 * The file is hashed in the browser (WebCrypto SHA-256) and looked up in the
 * sharded hash index published under api/hash/. The index cannot be
 * enumerated: an entry is found only from the file's own hash.
 *
 *   fileHash = SHA-256(file bytes)                                  (32 bytes)
 *   id       = hex(SHA-256(utf8("segel-index:") || fileHash))       (64 hex)
 *   layout   = api/hash/layout.json {"v":1,"prefix":2|3|4,"shards":…}  (read first)
 *   shard    = api/hash/<id[0..prefix]>.json for prefix 2 or 3 (256 or 4,096 shards),
 *              api/hash/<id[0..2]>/<id[2..4]>.json for 4 and for sites
 *              without layout.json (before 0.5; every shard exists)
 *   key      = SHA-256(utf8("segel-key:") || fileHash)              (AES-256-GCM key)
 *   shard    = {"v":1,"entries":[{"id":"<64 hex>","iv":"<base64, 12 bytes>","ct":"<base64>"}]}
 *   ct       = AES-GCM(key, iv, utf8(JSON record)), 128-bit tag appended, no additional data
 *   record   = {"token":"…","name":"…","status":"valid|invalidated|revoked","signed_at":"…"}
 *
 * Loaded as a plain <script> it wires up every [data-upload] element; in any
 * environment it also publishes its lookup functions as globalThis.SegelVerify
 * (verify.test.mjs uses them under node --test). Plain ES2017, no dependencies.
 */
(function (global) {
  'use strict';

  const INDEX_PREFIX = 'segel-index:';
  const KEY_PREFIX = 'segel-key:';
  const SHARD_VERSION = 1;
  const TOKEN_RE = /^[A-Za-z0-9_-]{16,200}$/;
  const HEX64_RE = /^[0-9a-f]{64}$/;
  const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
  const STATUSES = ['valid', 'invalidated', 'revoked'];

  /**
   * A lookup that gave no answer. code is one of:
   * "no_webcrypto" (the browser cannot hash here), "fetch" (the shard could
   * not be loaded), "index" (the shard or an entry is malformed or does not
   * decrypt: fail closed rather than call the file unknown).
   */
  function LookupError(code, message) {
    const error = new Error(message);
    error.name = 'LookupError';
    error.code = code;
    return error;
  }

  /** The SubtleCrypto object, or null where WebCrypto is unavailable (insecure contexts). */
  function getSubtle() {
    const c = global.crypto;
    return c && c.subtle && typeof c.subtle.digest === 'function' ? c.subtle : null;
  }

  function toHex(bytes) {
    let out = '';
    for (let i = 0; i < bytes.length; i++) {
      out += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
    }
    return out;
  }

  function fromBase64(text) {
    if (typeof text !== 'string' || !BASE64_RE.test(text)) return null;
    const binary = global.atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  function prefixed(prefix, bytes) {
    const head = new TextEncoder().encode(prefix);
    const out = new Uint8Array(head.length + bytes.length);
    out.set(head, 0);
    out.set(bytes, head.length);
    return out;
  }

  async function sha256(subtle, bytes) {
    return new Uint8Array(await subtle.digest('SHA-256', bytes));
  }

  /** The index id (64 lowercase hex) of a file whose SHA-256 is fileHash (Uint8Array(32)). */
  async function indexId(subtle, fileHash) {
    return toHex(await sha256(subtle, prefixed(INDEX_PREFIX, fileHash)));
  }

  /** The AES-256-GCM key that decrypts the index entry of fileHash. */
  async function entryKey(subtle, fileHash) {
    const raw = await sha256(subtle, prefixed(KEY_PREFIX, fileHash));
    return subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['decrypt']);
  }

  /** The shard that holds id, relative to the site root. */
  /**
   * The shard of id in a layout of prefix hex digits (HashIndex.Layout):
   * 2 or 3 give api/hash/<id[0..prefix]>.json (256 or 4,096 shards); 4, the
   * layout of sites published before 0.5, api/hash/<id[0..2]>/<id[2..4]>.json.
   */
  function shardPath(id, prefix) {
    if (!HEX64_RE.test(id)) throw LookupError('index', 'not an index id: ' + id);
    const digits = prefix || 4;
    if (digits === 4) return 'api/hash/' + id.slice(0, 2) + '/' + id.slice(2, 4) + '.json';
    if (digits !== 2 && digits !== 3) throw LookupError('index', 'unknown index layout');
    return 'api/hash/' + id.slice(0, digits) + '.json';
  }

  const LAYOUT_PATH = 'api/hash/layout.json';

  /**
   * The index layout's prefix: api/hash/layout.json, or 4 when a site has
   * none (before 0.5; the loader answers null only for a 404). A layout file
   * that is there but not one this page knows is an error: guessing the old
   * layout could find a stale shard and call a genuine file unknown.
   */
  async function layoutPrefix(loadShard) {
    const layout = await loadShard(LAYOUT_PATH);
    if (layout === null) return 4;
    if (!layout || typeof layout !== 'object' || layout.v !== 1 || [2, 3, 4].indexOf(layout.prefix) === -1) {
      throw LookupError('index', 'unknown index layout');
    }
    return layout.prefix;
  }

  /**
   * Where a document's files sit (DocumentAddress.swift has the same rule):
   * under v/<f>/, api/verify/<f>/, … with <f> the token's first character
   * in lower case, or, for documents signed before 0.6, flat under
   * v/<token>/. The token must already match TOKEN_RE.
   */
  function documentAddress(token) {
    const folder = token.slice(0, 1).toLowerCase() + '/';
    return {
      sharded: 'v/' + folder + token + '/',
      flat: 'v/' + token + '/',
      record: 'api/verify/' + folder + token + '.json'
    };
  }

  /**
   * The page of a document known only by its token (typed into the box),
   * relative to the site root: the sharded page when the site has the
   * sharded record, the flat one when it answers that it has not. When the
   * question cannot be asked (file://, offline) the sharded page, which
   * every document signed from 0.6 on has.
   */
  async function documentPage(token, root, fetcher) {
    const address = documentAddress(token);
    const get = fetcher || (typeof fetch === 'function' ? fetch : null);
    if (!get) return address.sharded;
    try {
      const base = typeof document !== 'undefined' ? document.baseURI : 'http://localhost/';
      const response = await get(new URL(root + address.record, base).href,
        { method: 'HEAD', cache: 'no-cache', credentials: 'same-origin' });
      // Only a site that answers "not here" has the flat page; anything else (a HEAD refused, an error) keeps the new one.
      return response.status === 404 ? address.flat : address.sharded;
    } catch (e) {
      return address.sharded;
    }
  }

  const MAX_SIGNERS = 20;
  const SIGNER_STATES = ['signed', 'revoked'];

  function validateRecord(record) {
    if (!record || typeof record !== 'object') return null;
    if (typeof record.token !== 'string' || !TOKEN_RE.test(record.token)) return null;
    if (typeof record.name !== 'string') return null;
    if (STATUSES.indexOf(record.status) === -1) return null;
    if (record.signed_at !== undefined && typeof record.signed_at !== 'string') return null;
    // The page is one of the token's two addresses; indexes before 0.6 name none (flat).
    const address = documentAddress(record.token);
    if (record.page !== undefined && record.page !== address.sharded && record.page !== address.flat) return null;
    // Its issuance entry in the public log (since 0.6): both numbers or neither.
    const hasLog = record.log_index !== undefined || record.log_size !== undefined;
    if (hasLog && !(Number.isInteger(record.log_index) && Number.isInteger(record.log_size) &&
                    record.log_index >= 0 && record.log_index < record.log_size)) return null;
    const valid = {
      token: record.token,
      name: record.name,
      status: record.status,
      signed_at: record.signed_at || '',
      page: record.page || address.flat
    };
    if (hasLog) {
      valid.log_index = record.log_index;
      valid.log_size = record.log_size;
    }
    // Several signers, in order (since 0.7): a short list of names, times and states.
    if (record.signers !== undefined) {
      if (!Array.isArray(record.signers) || record.signers.length < 2 || record.signers.length > MAX_SIGNERS) return null;
      const signers = [];
      for (const signer of record.signers) {
        if (!signer || typeof signer !== 'object' || typeof signer.name !== 'string' ||
            typeof signer.signed_at !== 'string' || SIGNER_STATES.indexOf(signer.state) === -1) return null;
        signers.push({ name: signer.name, signed_at: signer.signed_at, state: signer.state });
      }
      valid.signers = signers;
    }
    return valid;
  }

  /**
   * Looks fileHash up. loadShard(path) returns the parsed shard JSON for a
   * path relative to the site root, or throws LookupError("fetch").
   * Resolves to {found: false, id} or {found: true, id, record}.
   */
  async function lookupHash(subtle, fileHash, loadShard) {
    if (!subtle) throw LookupError('no_webcrypto', 'WebCrypto is not available');
    const id = await indexId(subtle, fileHash);
    const path = shardPath(id, await layoutPrefix(loadShard));
    const shard = await loadShard(path);
    if (!shard || typeof shard !== 'object' || shard.v !== SHARD_VERSION || !Array.isArray(shard.entries)) {
      throw LookupError('index', 'malformed shard ' + path);
    }
    const matches = shard.entries.filter(function (entry) { return entry && entry.id === id; });
    if (matches.length === 0) return { found: false, id: id };
    if (matches.length > 1) throw LookupError('index', 'duplicate index entry ' + id);

    const iv = fromBase64(matches[0].iv);
    const ct = fromBase64(matches[0].ct);
    if (!iv || iv.length !== 12 || !ct || ct.length < 16) {
      throw LookupError('index', 'malformed index entry ' + id);
    }
    let plain;
    try {
      plain = await subtle.decrypt({ name: 'AES-GCM', iv: iv, tagLength: 128 }, await entryKey(subtle, fileHash), ct);
    } catch (e) {
      throw LookupError('index', 'index entry ' + id + ' does not decrypt');
    }
    let record;
    try {
      record = validateRecord(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plain)));
    } catch (e) {
      record = null;
    }
    if (!record) throw LookupError('index', 'index entry ' + id + ' holds no valid record');
    return { found: true, id: id, record: record };
  }

  /** SHA-256 of the file bytes (Uint8Array(32)). */
  async function hashFile(subtle, bytes) {
    if (!subtle) throw LookupError('no_webcrypto', 'WebCrypto is not available');
    return sha256(subtle, bytes);
  }

  /** Hashes the file bytes, then looks the hash up: {sha256 (hex), found, id, record?}. */
  async function checkBytes(subtle, bytes, loadShard) {
    const fileHash = await hashFile(subtle, bytes);
    const result = await lookupHash(subtle, fileHash, loadShard);
    result.sha256 = toHex(fileHash);
    return result;
  }

  /** The trailing white-space rule, shared with segel-verify: up to this many
   * white-space bytes may follow the last %%EOF; no signature covers them. */
  const MAX_TRAILING_WHITESPACE = 32;

  function isPdfWhitespace(byte) {
    return byte === 0x00 || byte === 0x09 || byte === 0x0a || byte === 0x0c || byte === 0x0d || byte === 0x20;
  }

  /**
   * Where the authority's file may have ended inside bytes that did not match
   * as a whole: right after each of the last four "%%EOF" markers (within the
   * last MiB) and after one end-of-line (LF, CR or CR LF) following it.
   * Latest first; each {length, trailing, whitespace}: whitespace is true when
   * only up to MAX_TRAILING_WHITESPACE white-space bytes follow (tolerated,
   * not covered by the signature); anything else was appended (INVALID).
   */
  function signedEnds(bytes) {
    const ends = [];
    const floor = Math.max(0, bytes.length - (1 << 20));
    let markers = 0;
    for (let i = bytes.length - 5; i >= floor && markers < 4; i--) {
      if (bytes[i] !== 0x25 || bytes[i + 1] !== 0x25 || bytes[i + 2] !== 0x45 || bytes[i + 3] !== 0x4f ||
          bytes[i + 4] !== 0x46) continue;
      markers++;
      const eof = i + 5;
      const candidates = [eof];
      if (bytes[eof] === 0x0a || bytes[eof] === 0x0d) candidates.push(eof + 1);
      if (bytes[eof] === 0x0d && bytes[eof + 1] === 0x0a) candidates.push(eof + 2);
      candidates.forEach(function (length) {
        if (length >= bytes.length) return;
        let whitespace = bytes.length - length <= MAX_TRAILING_WHITESPACE;
        for (let k = eof; whitespace && k < bytes.length; k++) whitespace = isPdfWhitespace(bytes[k]);
        ends.push({ length: length, trailing: bytes.length - length, whitespace: whitespace });
      });
    }
    return ends;
  }

  /**
   * The whole check: the file's hash, then — when it is not in the index —
   * the hash of each place the authority's file may have ended (signedEnds).
   * Resolves to {sha256, found, record?, trailing?} where trailing is
   * {bytes, whitespace} when only a prefix matched.
   */
  async function checkWithTrailingRule(subtle, bytes, loadShard) {
    const result = await checkBytes(subtle, bytes, loadShard);
    if (result.found) return result;
    for (const end of signedEnds(bytes)) {
      const prefix = await lookupHash(subtle, await sha256(subtle, bytes.subarray(0, end.length)), loadShard);
      if (prefix.found) {
        prefix.sha256 = result.sha256;
        prefix.trailing = { bytes: end.trailing, whitespace: end.whitespace };
        return prefix;
      }
    }
    return result;
  }

  /**
   * The index key of a lookup code (16 normalized characters, see site.js's
   * extractCode and LookupCode.swift): SHA-256("segel-code:" + code), looked
   * up like a file's hash.
   */
  async function codeHash(subtle, code) {
    return sha256(subtle, new TextEncoder().encode('segel-code:' + code));
  }

  /** A shard loader for the site whose root (relative or absolute) is root. */
  function shardLoader(root) {
    return async function (path) {
      let response;
      try {
        response = await fetch(new URL(root + path, document.baseURI).href, { cache: 'no-cache', credentials: 'same-origin' });
      } catch (e) {
        throw LookupError('fetch', 'cannot load ' + path);
      }
      // A site published before 0.5 has no layout file (its index has 65,536 shards).
      if (response.status === 404 && path === LAYOUT_PATH) return null;
      // Every shard exists, so any failure here is an error, never "not found".
      if (!response.ok) throw LookupError('fetch', 'HTTP ' + response.status + ' for ' + path);
      try {
        return await response.json();
      } catch (e) {
        throw LookupError('index', 'shard ' + path + ' is not JSON');
      }
    };
  }

  /** The record a lookup code names: {found, record?}. */
  async function lookupCode(subtle, code, loadShard) {
    if (!subtle) throw LookupError('no_webcrypto', 'WebCrypto is not available');
    return lookupHash(subtle, await codeHash(subtle, code), loadShard);
  }

  /** True when "%PDF-" occurs in the first 1024 bytes (ISO 32000-2, 7.5.2 and its allowance for leading bytes). */
  function looksLikePdf(bytes) {
    const limit = Math.min(bytes.length, 1024) - 5;
    for (let i = 0; i <= limit; i++) {
      if (bytes[i] === 0x25 && bytes[i + 1] === 0x50 && bytes[i + 2] === 0x44 &&
          bytes[i + 3] === 0x46 && bytes[i + 4] === 0x2d) return true;
    }
    return false;
  }

  const api = {
    INDEX_PREFIX: INDEX_PREFIX,
    KEY_PREFIX: KEY_PREFIX,
    LookupError: LookupError,
    getSubtle: getSubtle,
    toHex: toHex,
    fromBase64: fromBase64,
    indexId: indexId,
    entryKey: entryKey,
    shardPath: shardPath,
    hashFile: hashFile,
    lookupHash: lookupHash,
    checkBytes: checkBytes,
    codeHash: codeHash,
    lookupCode: lookupCode,
    shardLoader: shardLoader,
    documentAddress: documentAddress,
    documentPage: documentPage,
    signedEnds: signedEnds,
    checkWithTrailingRule: checkWithTrailingRule,
    MAX_TRAILING_WHITESPACE: MAX_TRAILING_WHITESPACE,
    looksLikePdf: looksLikePdf
  };
  global.SegelVerify = api;

  // ---- Page behaviour -------------------------------------------------------

  function readFile(file) {
    if (typeof file.arrayBuffer === 'function') return file.arrayBuffer();
    return new Promise(function (resolve, reject) {
      const reader = new FileReader();
      reader.onload = function () { resolve(reader.result); };
      reader.onerror = function () { reject(reader.error); };
      reader.readAsArrayBuffer(file);
    });
  }

  /**
   * A time in the authority's zone, named as the pages and the stamp name it
   * (ZoneLabel.swift): WIB, WITA, WIT, UTC, else UTC with the offset.
   */
  function formatDate(value, lang, zone) {
    const date = new Date(value);
    if (!value || isNaN(date.getTime()) || typeof Intl === 'undefined') return value;
    try {
      const options = { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
      if (zone) options.timeZone = zone;
      const text = new Intl.DateTimeFormat(lang || undefined, options).format(date);
      return text + ' ' + zoneLabel(zone, date);
    } catch (e) {
      return value;
    }
  }

  function zoneLabel(zone, date) {
    const names = { 'Asia/Jakarta': 'WIB', 'Asia/Pontianak': 'WIB', 'Asia/Makassar': 'WITA', 'Asia/Jayapura': 'WIT',
                    'UTC': 'UTC', 'GMT': 'UTC', 'Etc/UTC': 'UTC', 'Etc/GMT': 'UTC' };
    if (!zone) return '';
    if (names[zone]) return names[zone];
    const part = new Intl.DateTimeFormat('en', { timeZone: zone, timeZoneName: 'longOffset' })
      .formatToParts(date).find(function (p) { return p.type === 'timeZoneName'; });
    const match = part && /GMT([+-])(\d\d):(\d\d)/.exec(part.value);
    if (!match) return 'UTC';
    const hours = String(Number(match[2]));
    return 'UTC' + (match[1] === '-' ? '\u2212' : '+') + hours + (match[3] === '00' ? '' : ':' + match[3]);
  }

  function setupUpload(widget) {
    const input = widget.querySelector('[data-upload-input]');
    const dropzone = widget.querySelector('[data-dropzone]');
    const output = widget.querySelector('[data-upload-result]');
    const scope = widget.parentNode;
    const root = widget.getAttribute('data-root') || './';
    const lang = widget.getAttribute('data-lang') || document.documentElement.lang;
    let runs = 0;

    function msg(name) { return widget.getAttribute('data-msg-' + name) || ''; }

    function template(name) {
      const selector = 'template[data-upload-template="' + name + '"]';
      const node = scope.querySelector(selector) || document.querySelector(selector);
      return node.content.cloneNode(true);
    }

    function fill(fragment, slot, text) {
      const node = fragment.querySelector('[data-slot="' + slot + '"]');
      if (node) node.textContent = text;
    }

    function notice(kind, text) {
      const p = document.createElement('p');
      p.className = 'notice notice--' + kind;
      p.textContent = text;
      return p;
    }

    function show(nodes, reveal) {
      output.textContent = '';
      nodes.forEach(function (node) { output.appendChild(node); });
      // On a phone the verdict lands below the fold; bring it up once it is final.
      if (reveal && typeof output.scrollIntoView === 'function') {
        const top = output.getBoundingClientRect().top;
        if (top < 0 || top > window.innerHeight * 0.5) {
          const still = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
          output.scrollIntoView({ block: 'start', behavior: still ? 'auto' : 'smooth' });
        }
      }
    }

    function fileSummary(file, hashHex) {
      const fragment = template('file');
      fill(fragment, 'file-name', file.name);
      if (hashHex) {
        fill(fragment, 'sha256', hashHex);
      } else {
        const row = fragment.querySelector('[data-slot="sha256"]');
        row.closest('div').remove();
      }
      return fragment;
    }

    function foundView(record) {
      const fragment = template('found');
      Array.prototype.forEach.call(fragment.querySelectorAll('[data-status]'), function (banner) {
        if (banner.getAttribute('data-status') !== record.status) banner.remove();
      });
      fill(fragment, 'name', record.name);
      fill(fragment, 'signed-at', formatDate(record.signed_at, lang, widget.getAttribute('data-time-zone')));
      if (record.signers) {
        const list = fragment.querySelector('[data-slot="signers"]');
        const zone = widget.getAttribute('data-time-zone');
        record.signers.forEach(function (signer) {
          const item = document.createElement('li');
          item.className = 'signer signer--' + signer.state;
          const name = document.createElement('span');
          name.className = 'signer__name';
          name.textContent = signer.name;
          const line = document.createElement('span');
          line.className = 'subline';
          line.textContent = formatDate(signer.signed_at, lang, zone) + ' · ' +
            (list.getAttribute('data-state-' + signer.state) || signer.state);
          item.appendChild(name);
          item.appendChild(line);
          list.appendChild(item);
        });
        const row = fragment.querySelector('[data-slot-row="signers"]');
        if (row) row.hidden = false;
      }
      if (record.log_index !== undefined) {
        fill(fragment, 'log-index', String(record.log_index));
        fill(fragment, 'log-size', String(record.log_size));
        const row = fragment.querySelector('[data-slot-row="log"]');
        if (row) row.hidden = false;
      }
      const link = fragment.querySelector('[data-slot="link"]');
      // validateRecord admits only the token's own two addresses (TOKEN_RE-checked segments).
      link.href = new URL(root + record.page, document.baseURI).href;
      return fragment;
    }

    function appendedView(record, count) {
      const fragment = template('appended');
      fill(fragment, 'appended-bytes', String(count));
      fill(fragment, 'name', record.name);
      const link = fragment.querySelector('[data-slot="link"]');
      link.href = new URL(root + record.page, document.baseURI).href;
      return fragment;
    }

    const loadShard = shardLoader(root);

    function errorText(error) {
      switch (error && error.code) {
        case 'no_webcrypto': return msg('no-webcrypto');
        case 'fetch': return location.protocol === 'file:' ? msg('file-protocol') : msg('fetch-error');
        case 'index': return msg('index-error');
        default: return msg('read-error');
      }
    }

    async function check(file) {
      const run = ++runs;
      widget.setAttribute('aria-busy', 'true');
      show([notice('working', msg('working'))]);
      let hashHex = null;
      try {
        const bytes = new Uint8Array(await readFile(file));
        if (run !== runs) return;
        if (!looksLikePdf(bytes)) {
          show([notice('error', msg('not-pdf')), fileSummary(file, null)], true);
          return;
        }
        const subtle = getSubtle();
        const result = await checkWithTrailingRule(subtle, bytes, loadShard);
        hashHex = result.sha256;
        if (run !== runs) return;
        let view;
        if (!result.found) {
          view = template('not-found');
        } else if (result.trailing && !result.trailing.whitespace) {
          // The authority's file with bytes appended: segel-verify says INVALID too.
          view = appendedView(result.record, result.trailing.bytes);
        } else {
          view = foundView(result.record);
          if (result.trailing) {
            const note = document.createElement('p');
            note.className = 'upload__note';
            note.setAttribute('data-trailing', String(result.trailing.bytes));
            note.textContent = msg('trailing-whitespace').replace('{n}', String(result.trailing.bytes));
            view.appendChild(note);
          }
        }
        show([view, fileSummary(file, hashHex)], true);
      } catch (error) {
        if (run !== runs) return;
        show([notice('error', msg('no-result') + ': ' + errorText(error)), fileSummary(file, hashHex)], true);
      } finally {
        if (run === runs) widget.removeAttribute('aria-busy');
      }
    }

    widget.hidden = false;
    if (!getSubtle()) {
      input.disabled = true;
      dropzone.classList.add('is-disabled');
      show([notice('error', msg('no-webcrypto'))]);
      return;
    }

    input.addEventListener('change', function () {
      if (input.files && input.files[0]) check(input.files[0]);
    });

    let depth = 0;
    dropzone.addEventListener('dragenter', function (event) {
      event.preventDefault();
      depth++;
      dropzone.classList.add('is-over');
    });
    dropzone.addEventListener('dragover', function (event) {
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    });
    dropzone.addEventListener('dragleave', function () {
      depth = Math.max(0, depth - 1);
      if (depth === 0) dropzone.classList.remove('is-over');
    });
    dropzone.addEventListener('drop', function (event) {
      event.preventDefault();
      depth = 0;
      dropzone.classList.remove('is-over');
      const files = event.dataTransfer && event.dataTransfer.files;
      if (files && files[0]) check(files[0]);
    });
  }

  function init() {
    const widgets = document.querySelectorAll('[data-upload]');
    if (widgets.length === 0) return;
    Array.prototype.forEach.call(widgets, setupUpload);
    // A file dropped beside the drop zone would make the browser leave the page to open it.
    window.addEventListener('dragover', function (event) { event.preventDefault(); });
    window.addEventListener('drop', function (event) { event.preventDefault(); });
  }

  if (typeof document !== 'undefined' && typeof window !== 'undefined') {
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', init);
    } else {
      init();
    }
  }
})(typeof globalThis !== 'undefined' ? globalThis : window);
