/*
 * segel portal: small behaviours shared by every page.
 *  - the token box ([data-token-form]) opens the document's page (v/<f>/<token>/,
 *    or v/<token>/ before 0.6) relative to the site root;
 *  - [data-copy] buttons copy a value (shown only where the Clipboard API exists);
 *  - [data-print] buttons print the page.
 * Plain ES2017, no dependencies; every page works without it.
 */
(function () {
  'use strict';

  // Tokens are URL-safe random strings of at least 128 bits (DESIGN.md); the
  // bounds keep anything that could not be a token out of the URL.
  const TOKEN_RE = /^[A-Za-z0-9_-]{16,200}$/;

  /**
   * Extracts a token from what a user typed or pasted: a bare token, or a
   * verification address such as https://host/sub/v/<f>/<token>/ or
   * https://host/sub/v/<token>/ (with or without the trailing slash, query or
   * fragment). Returns null when nothing fits.
   */
  function extractToken(input) {
    const text = String(input || '').trim();
    if (text === '') return null;
    let candidate = text;
    const marker = text.lastIndexOf('/v/');
    if (marker !== -1) {
      candidate = text.slice(marker + 3).replace(/[?#].*$/, '');
      // v/<f>/<token>/: <f> is the token's first character in lower case.
      const parts = candidate.split('/');
      if (parts.length > 1 && parts[0].length === 1 && parts[0] === parts[1].slice(0, 1).toLowerCase()) {
        candidate = parts[1];
      }
    } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
      candidate = text.replace(/[?#].*$/, '').replace(/\/+$/, '');
      candidate = candidate.slice(candidate.lastIndexOf('/') + 1);
    }
    candidate = candidate.replace(/[?#].*$/, '').replace(/\/.*$/, '');
    return TOKEN_RE.test(candidate) ? candidate : null;
  }

  // The lookup code printed on the stamp (LookupCode.swift has the same rule):
  // 16 Crockford base32 characters; case, spaces, dashes and dots ignored, a
  // leading "SIG" dropped, I and L read as 1, O as 0.
  const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

  /** The 16 normalized characters of a typed lookup code, or null. */
  function extractCode(input) {
    let text = String(input || '').toUpperCase();
    const marker = text.lastIndexOf('/V/');
    if (marker !== -1) text = text.slice(marker + 3).replace(/[?#].*$/, '').replace(/\/.*$/, '');
    let chars = '';
    for (const ch of text) {
      if (ch === ' ' || ch === '-' || ch === '.' || ch === '\t') continue;
      chars += (ch === 'I' || ch === 'L') ? '1' : (ch === 'O' ? '0' : ch);
    }
    if (chars.length === 19 && chars.slice(0, 3) === 'S1G') chars = chars.slice(3);
    if (chars.length !== 16) return null;
    for (const ch of chars) if (CODE_ALPHABET.indexOf(ch) === -1) return null;
    return chars;
  }

  /**
   * The page of the document a lookup code names, through the portal's
   * index (verify.js): a path relative to the site root, null when no
   * document has that code, or undefined when the index cannot be read here.
   */
  async function resolveCode(code, root) {
    const V = globalThis.SegelVerify;
    if (!V || !V.getSubtle()) return undefined;
    try {
      const result = await V.lookupCode(V.getSubtle(), code, V.shardLoader(root));
      return result.found ? result.record.page : null;
    } catch (e) {
      return undefined;
    }
  }

  /** The page of a typed token, relative to the site root (verify.js asks the site which address it has). */
  async function tokenPage(token, root) {
    const V = globalThis.SegelVerify;
    return V ? V.documentPage(token, root) : 'v/' + token + '/';
  }

  function setupTokenForm(form) {
    const input = form.querySelector('input');
    const error = form.querySelector('.token-form__error');
    const root = form.getAttribute('data-root') || './';
    // Pages open in the form's own language (the other language's pages sit under en/ or id/).
    const home = form.getAttribute('data-home') || root;
    function fail(message) {
      error.textContent = message;
      error.hidden = false;
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
    form.addEventListener('submit', async function (event) {
      event.preventDefault();
      const code = extractCode(input.value);
      const token = extractToken(input.value);
      let page = null;
      if (code) {
        const found = await resolveCode(code, root);
        if (found) page = found;
        else if (found === null && !(token && token.length > 19)) return fail(form.getAttribute('data-msg-unknown-code'));
      }
      if (!page && !token) return fail(form.getAttribute('data-msg-invalid'));
      if (!page) page = await tokenPage(token, root);
      error.hidden = true;
      input.removeAttribute('aria-invalid');
      window.location.href = new URL(home + page, document.baseURI).href;
    });
    input.addEventListener('input', function () {
      if (!error.hidden) {
        error.hidden = true;
        input.removeAttribute('aria-invalid');
      }
    });
  }

  function setupCopyButton(button) {
    if (!navigator.clipboard || typeof navigator.clipboard.writeText !== 'function') return;
    const label = button.textContent;
    button.hidden = false;
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(button.getAttribute('data-copy')).then(function () {
        button.textContent = button.getAttribute('data-copied') || label;
        window.setTimeout(function () { button.textContent = label; }, 2000);
      }, function () { /* Copy refused (permissions): the value stays selectable on the page. */ });
    });
  }

  function setupPrintButton(button) {
    if (typeof window.print !== 'function') return;
    button.hidden = false;
    button.addEventListener('click', function () { window.print(); });
  }

  /**
   * The 404 page: an address <root>v/<code> (what a person types from a
   * printed stamp) opens the document's page, and so does <root>v/<token>/
   * for a document whose page is v/<f>/<token>/; anything else stays NOT VERIFIED.
   */
  async function setupNotFound(page) {
    // verify.js (the index lookup) is deferred after this script: wait for it.
    if (document.readyState !== 'complete') {
      await new Promise(function (resolve) { window.addEventListener('load', resolve, { once: true }); });
    }
    const root = page.getAttribute('data-root') || '/';
    const path = window.location.pathname;
    if (path.indexOf('/v/') === -1) return;
    const code = extractCode(path);
    const token = extractToken(path);
    let target = code ? await resolveCode(code, root) : null;
    if (!target && token && globalThis.SegelVerify) {
      const address = globalThis.SegelVerify.documentAddress(token);
      // Only a page the site answers for, and never the address that brought us here.
      if (await tokenPage(token, root) === address.sharded && path.indexOf('/' + address.sharded) === -1) target = address.sharded;
    }
    if (!target) return;
    // Stay in the language of the address typed: <root>en/v/… opens the English page.
    const relative = path.indexOf(root) === 0 ? path.slice(root.length) : '';
    const language = /^(en|id)\//.exec(relative);
    window.location.replace(new URL(root + (language ? language[0] : '') + target, document.baseURI).href);
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll('[data-token-form]'), setupTokenForm);
    Array.prototype.forEach.call(document.querySelectorAll('[data-notfound]'), setupNotFound);
    Array.prototype.forEach.call(document.querySelectorAll('[data-copy]'), setupCopyButton);
    Array.prototype.forEach.call(document.querySelectorAll('[data-print]'), setupPrintButton);
  }

  if (typeof document !== 'undefined') {
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', init);
    } else {
      init();
    }
  }
  if (typeof globalThis !== 'undefined') {
    globalThis.SegelSite = { extractToken: extractToken, extractCode: extractCode };
  }
})();
