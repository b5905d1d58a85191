#!/usr/bin/env python3
"""A loopback HTTP proxy for tests that loses one answer.

    lossy-proxy.py UPSTREAM_PORT PORT PATTERN MARKER

Listens on 127.0.0.1:PORT and passes every request, byte for byte, to
127.0.0.1:UPSTREAM_PORT (one upstream connection per request). The first
request whose request line contains PATTERN is carried out by the upstream,
but its answer never reaches the client: the client's connection is closed
instead, as when a network fails after the server acted. MARKER is then
created, so a test can tell that the answer really was lost.
"""
import socket
import socketserver
import sys
import threading

upstream_port, port, pattern, marker = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3].encode(), sys.argv[4]
lock = threading.Lock()
dropped = False


def read_message(stream):
    """One HTTP request (head, body) framed by Content-Length; None at the end of the stream."""
    line = stream.readline()
    if not line:
        return None
    head, length = [line], 0
    while True:
        line = stream.readline()
        if not line:
            return None
        if line in (b"\r\n", b"\n"):
            break
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
        if name.strip().lower() != b"connection":
            head.append(line)
    # The upstream closes its connection after answering, so the answer ends where the stream does.
    head.append(b"Connection: close\r\n\r\n")
    return b"".join(head), stream.read(length) if length else b""


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        global dropped
        while True:
            message = read_message(self.rfile)
            if message is None:
                return
            head, body = message
            with socket.create_connection(("127.0.0.1", upstream_port)) as upstream:
                upstream.sendall(head + body)
                answer = b""
                while chunk := upstream.recv(65536):
                    answer += chunk
            with lock:
                drop = not dropped and pattern in head.split(b"\r\n", 1)[0]
                dropped = dropped or drop
            if drop:
                open(marker, "w").close()
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self.wfile.write(answer)
            self.wfile.flush()
            return  # the answer says "Connection: close": the client opens a new connection


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


Server(("127.0.0.1", port), Handler).serve_forever()
