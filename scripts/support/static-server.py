#!/usr/bin/env python3
"""Serves a published site on 127.0.0.1 the way static hosts do, for tests.

    static-server.py DIRECTORY PORT

Like `python3 -m http.server`, but a missing path gets the site's 404.html
with status 404 — the convention of GitHub Pages, Netlify, Cloudflare Pages
and nginx's `error_page 404 /404.html;` — so the portal's not-found page
(and the lookup codes typed as <base-url>/v/<code>) can be tested.
"""
import functools
import http.server
import os
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    def send_error(self, code, message=None, explain=None):
        page = os.path.join(self.directory, "404.html")
        if code == 404 and os.path.exists(page):
            with open(page, "rb") as f:
                body = f.read()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, *args):
        pass


def main() -> int:
    directory, port = sys.argv[1], int(sys.argv[2])
    handler = functools.partial(Handler, directory=directory)
    http.server.ThreadingHTTPServer(("127.0.0.1", port), handler).serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
