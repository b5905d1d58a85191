/*
 * segel portal: small behaviours shared by every page.
 *  - the token box ([data-token-form]) opens v/<token>/ relative to the site root;
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
   * verification address such as https://host/sub/v/<token>/ (with or without
   * the trailing slash, query or fragment). Returns null when nothing fits.
   */
  function extractToken(input) {
    const text = String(input || '').trim();
    if (text === '') return null;
    let candidate = text;
    const marker = text.lastIndexOf('/v/');
    if (marker !== -1) {
      candidate = text.slice(marker + 3);
    } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
      candidate = text.replace(/[?#].*$/, '').replace(/\/+$/, '');
      candidate = candidate.slice(candidate.lastIndexOf('/') + 1);
    }
    candidate = candidate.replace(/[?#].*$/, '').replace(/\/.*$/, '');
    return TOKEN_RE.test(candidate) ? candidate : null;
  }

  function setupTokenForm(form) {
    const input = form.querySelector('input');
    const error = form.querySelector('.token-form__error');
    const root = form.getAttribute('data-root') || './';
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      const token = extractToken(input.value);
      if (!token) {
        error.textContent = form.getAttribute('data-msg-invalid');
        error.hidden = false;
        input.setAttribute('aria-invalid', 'true');
        input.focus();
        return;
      }
      error.hidden = true;
      input.removeAttribute('aria-invalid');
      window.location.href = new URL(root + 'v/' + token + '/', document.baseURI).href;
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

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll('[data-token-form]'), setupTokenForm);
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
    globalThis.SegelSite = { extractToken: extractToken };
  }
})();
