# MPTCP traffic for the data-plane tests (socket(AF_INET, SOCK_STREAM, IPPROTO_MPTCP = 262)).
#   server PORT          accept connections; on each, requests of 8 bytes (big-endian): N uploads N bytes,
#                        answered with b'k' once all arrived; N | 1 << 63 asks the server to send N bytes
#   client DST PORT      connect, exchange a byte, print "connected LOCAL_PORT", then run the commands read from stdin:
#                        "up N" (send N bytes, print "done" once the server has them all), "down N" (receive
#                        N bytes, print "done"), "quit" (close, print "closed")
import socket
import struct
import sys
import threading

CHUNK = b'\0' * 65536


def recv_exactly(s, n):
    data = bytearray()
    while len(data) < n:
        part = s.recv(min(n - len(data), 65536))
        if not part:
            return None
        data += part
    return bytes(data)


def discard(s, n):
    while n > 0:
        part = s.recv(min(n, 1 << 20))
        if not part:
            raise SystemExit('connection closed')
        n -= len(part)


def send(s, n):
    while n > 0:
        n -= s.send(CHUNK[:min(n, len(CHUNK))])


def serve(c):
    with c:
        while True:
            header = recv_exactly(c, 8)
            if header is None:
                return
            n = struct.unpack('!Q', header)[0]
            if n >> 63:
                send(c, n & ((1 << 63) - 1))
            else:
                discard(c, n)
                c.sendall(b'k')


def server(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('0.0.0.0', port))
    s.listen(16)
    print('listening', flush=True)
    while True:
        c, _ = s.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()


def client(destination, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262)
    s.settimeout(60)
    s.connect((destination, port))
    # a first exchange: the connection is fully established only once data has gone both ways, and only then
    # does the path manager open subflows from the endpoints
    s.sendall(struct.pack('!Q', 1) + b'\0')
    if recv_exactly(s, 1) != b'k':
        raise SystemExit('no acknowledgement')
    print('connected', s.getsockname()[1], flush=True)
    for line in sys.stdin:
        words = line.split()
        if words[0] == 'up':
            n = int(words[1])
            s.sendall(struct.pack('!Q', n))
            send(s, n)
            if recv_exactly(s, 1) != b'k':
                raise SystemExit('no acknowledgement')
            print('done', flush=True)
        elif words[0] == 'down':
            n = int(words[1])
            s.sendall(struct.pack('!Q', n | 1 << 63))
            discard(s, n)
            print('done', flush=True)
        elif words[0] == 'quit':
            break
    s.close()
    print('closed', flush=True)


if __name__ == '__main__':
    if sys.argv[1] == 'server':
        server(int(sys.argv[2]))
    else:
        client(sys.argv[2], int(sys.argv[3]))
