#!/usr/bin/env python3
"""A real RFC 3161 time-stamping server on loopback, for segel's tests.

    tsa-server.py WORK_DIR

Creates a throwaway TSA in WORK_DIR with the openssl command (a root CA and a
TSA certificate with critical extendedKeyUsage timeStamping), then serves
RFC 3161 over HTTP (RFC 3161 §3.4) on 127.0.0.1 at a free port: each POST of
an application/timestamp-query body is answered by `openssl ts -reply`.
Prints the URL on its first line of stdout once it is listening; WORK_DIR/root.pem
is the root to verify its tokens with. Stops on SIGTERM.
"""
import http.server
import os
import subprocess
import sys
import tempfile

CONFIG = """
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = {dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/root.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def run(*args, cwd):
    subprocess.run(args, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def make_tsa(work):
    run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "root.key", "-out", "root.pem", "-days", "3650", "-subj", "/CN=Loopback Test TSA Root",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=work)
    run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "tsa.key", "-out", "tsa.csr", "-subj", "/CN=Loopback Test TSA", cwd=work)
    with open(os.path.join(work, "tsa.ext"), "w") as f:
        f.write("basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\n")
    run("openssl", "x509", "-req", "-in", "tsa.csr", "-CA", "root.pem", "-CAkey", "root.key", "-CAcreateserial",
        "-out", "tsa.pem", "-days", "3650", "-extfile", "tsa.ext", cwd=work)
    with open(os.path.join(work, "serial"), "w") as f:
        f.write("01\n")
    with open(os.path.join(work, "tsa.cnf"), "w") as f:
        f.write(CONFIG.format(dir=work))


class Handler(http.server.BaseHTTPRequestHandler):
    work = ""

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with tempfile.TemporaryDirectory() as tmp:
            query, reply = os.path.join(tmp, "q.tsq"), os.path.join(tmp, "r.tsr")
            with open(query, "wb") as f:
                f.write(body)
            result = subprocess.run(["openssl", "ts", "-reply", "-config", os.path.join(self.work, "tsa.cnf"),
                                     "-queryfile", query, "-out", reply], capture_output=True)
            if result.returncode != 0:
                self.send_error(400, "bad timestamp request")
                return
            with open(reply, "rb") as f:
                data = f.read()
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def main() -> int:
    work = os.path.abspath(sys.argv[1])
    os.makedirs(work, exist_ok=True)
    make_tsa(work)
    Handler.work = work
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(f"http://127.0.0.1:{server.server_address[1]}/tsa", flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
