/**
 * The attach bridge, run as `python3 -c BRIDGE_SCRIPT <socket>`. conmon's attach socket is
 * SOCK_SEQPACKET, which Node cannot open. socat could relay it, but it turns packets into a byte
 * stream (and truncates a packet larger than its buffer), and conmon's only framing is the first
 * byte of each packet (1 stdin, 2 stdout, 3 stderr, conmon's stdpipe_t): once boundaries are lost
 * a stream id cannot be told from data. So this bridge reads whole packets and re-frames them on
 * its stdout as [stream id: 1 byte][length: uint32 BE][payload]. Its stdin is raw container input,
 * sent in packets no larger than conmon reads at once (CONN_SOCK_BUF_SIZE - 1); stdin EOF becomes
 * shutdown(SHUT_WR), which conmon takes as the client closing stdin. The socket is reached through
 * /proc/self/fd of its directory, as conmon binds it, so long bundle paths work.
 * Kept as a string, not a file, so a bundler cannot lose it.
 */
export const BRIDGE_SCRIPT = String.raw`
import os, socket, struct, sys, threading
path = sys.argv[1]
dfd = os.open(os.path.dirname(path), os.O_PATH)
sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
try:
    sock.connect('/proc/self/fd/%d/%s' % (dfd, os.path.basename(path)))
except OSError as e:
    sys.stderr.write('cannot connect to %s: %s\n' % (path, e.strerror))
    sys.exit(2)
os.close(dfd)
out = sys.stdout.buffer
# An empty frame with id 0 says the socket is connected: conmon only sends output from now on.
out.write(struct.pack('>BI', 0, 0))
out.flush()

def pump_in():
    try:
        while True:
            data = os.read(0, 16384)
            if not data:
                break
            for i in range(0, len(data), 16384):
                sock.sendall(data[i:i + 16384])
        sock.shutdown(socket.SHUT_WR)
    except OSError:
        pass

if len(sys.argv) > 2 and sys.argv[2] == 'stdin':
    threading.Thread(target=pump_in, daemon=True).start()
while True:
    try:
        pkt = sock.recv(65536)
    except OSError:
        break
    if not pkt:
        break
    out.write(struct.pack('>BI', pkt[0], len(pkt) - 1) + pkt[1:])
    out.flush()
`;
