#!/usr/bin/env python3
"""A deliberately misbehaving shim, for the server's bad-frame tests.

usage: raw-shim-client.py SOCKET MODE [TOKEN]
Connects, misbehaves as MODE says, then prints what came back: the answer frame's JSON, or
"closed" when the server hung up without one. MODE "good" sends a correct /bin/true request;
"sleep" starts `sleep 100` and waits for its answer (the test kills the client to hang up).
"""
import json
import os
import socket
import struct
import sys


def frame(obj):
    body = json.dumps(obj).encode()
    return struct.pack(">I", len(body)) + body


def request(token, command="true", args=(), cwd="/"):
    return {"v": 1, "command": command, "args": list(args), "cwd": cwd, "pid": os.getpid(), "token": token,
            "env": {"LANG": "C"}}


def dir_fd(path="."):
    """The caller's cwd as the shim sends it: a directory opened O_PATH."""
    return os.open(path, os.O_PATH | os.O_DIRECTORY)


def main():
    try:
        misbehave()
    except (BrokenPipeError, ConnectionResetError):
        # The server may refuse (wrong uid, bad frame) and close before our bytes are all sent.
        print("closed")


def misbehave():
    path, mode = sys.argv[1], sys.argv[2]
    token = sys.argv[3] if len(sys.argv) > 3 else ""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    devnull = os.open("/dev/null", os.O_RDWR)
    cwd = dir_fd()
    good = frame(request(token))
    if mode == "good":
        socket.send_fds(s, [good], [0, 1, 2, cwd])
    elif mode == "no-fds":
        s.sendall(good)
    elif mode == "three-fds":
        socket.send_fds(s, [good], [0, 1, 2])
    elif mode == "five-fds":
        socket.send_fds(s, [good], [0, 1, 2, cwd, devnull])
    elif mode == "file-as-cwd":
        socket.send_fds(s, [good], [0, 1, 2, devnull])
    elif mode == "cwd-lie":
        # The cwd string names a path that may be hidden or missing; the dir fd is what counts.
        lie = os.environ.get("CWD_STRING", "/nonexistent/lie")
        socket.send_fds(s, [frame(request(token, "pwd", ["-P"], cwd=lie))], [0, 1, 2, dir_fd(os.environ["CWD_DIR"])])
    elif mode == "oversize":
        socket.send_fds(s, [struct.pack(">I", 64 * 1024 * 1024) + b"{"], [0, 1, 2, cwd])
    elif mode == "truncated":
        socket.send_fds(s, [good[:-5]], [0, 1, 2, cwd])
        s.shutdown(socket.SHUT_WR)
    elif mode == "bad-json":
        body = b'{"v":1,"command":'
        socket.send_fds(s, [struct.pack(">I", len(body)) + body], [0, 1, 2, cwd])
    elif mode == "wrong-token":
        socket.send_fds(s, [frame(request("0" * 64))], [0, 1, 2, cwd])
    elif mode == "idle":
        pass
    elif mode == "stuck-stderr":
        # stderr is a full pipe nobody reads, blocking for its writers: a message to it cannot complete.
        r, w = os.pipe()
        os.set_blocking(w, False)
        try:
            while True:
                os.write(w, b"x" * 65536)
        except BlockingIOError:
            pass
        os.set_blocking(w, True)
        socket.send_fds(s, [frame(request(token, "no-such-command"))], [0, 1, w, cwd])
    elif mode == "sleep":
        socket.send_fds(s, [frame(request(token, "sleep", ["100"]))], [0, 1, 2, cwd])
    else:
        sys.exit("unknown mode " + mode)
    print(read_answer(s))


def read_answer(s):
    data = b""
    while True:
        try:
            chunk = s.recv(4096)
        except ConnectionResetError:  # the server closed with our bytes unread: a refusal too
            break
        if not chunk:
            break
        data += chunk
    if len(data) < 4:
        return "closed"
    (length,) = struct.unpack(">I", data[:4])
    return data[4:4 + length].decode()


if __name__ == "__main__":
    main()
