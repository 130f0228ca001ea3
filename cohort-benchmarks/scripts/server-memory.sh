#!/bin/bash
# usage: cohort-benchmarks/scripts/server-memory.sh N  (SERVER_OPTS="-Xmx3g" to size the server heap)
# One server process and one process hosting N clients (2NN, Fashion-MNIST, 3 rounds) over loopback
# mutual TLS; prints the server's round times, peak RSS, peak heap after GC (from its GC log) and
# the peak live heap: every 2 s the script forces a full GC in the server (jcmd GC.run), whose
# result is what the server really retains at that moment (young collections leave promoted
# garbage in the old generation, so their "after" figure overstates it).
set -e
C=$(cd "$(dirname "$0")/../.." && pwd)/cohort
N=$1; D=${TMPDIR:-/tmp}/cohort-server-memory-$N; rm -rf $D; mkdir -p $D; cd $D
export COHORT_SKIP_BUILD=1
$C certs init --dir pki >/dev/null 2>&1
$C certs issue --dir pki --name server --role server >/dev/null 2>&1
$C certs issue --dir pki --name client --role client --count $N >/dev/null 2>&1
cat > fed.toml <<TOML
[data]
dataset = "fashion-mnist"
path = "/usr/share/datasets/fashion-mnist"
partition = "iid"
clients = $N
seed = 0
[model]
kind = "mlp"
hidden = [200, 200]
[train]
epochs = 1
batch_size = 32
learning_rate = 0.05
[federation]
rounds = 3
fraction = 1.0
min_clients = $N
round_timeout_seconds = 600
[server]
listen = "127.0.0.1:17601"
pki = "pki"
wait_for_clients = $N
${ORDERED:+ordered_replies = $ORDERED}
connect_timeout_seconds = 600
[client]
server = "127.0.0.1:17601"
pki = "pki"
TOML
COHORT_JAVA_OPTS="$SERVER_OPTS -Xlog:gc:file=gc.log" $C server --config fed.toml --json > server.out 2> server.err &
SP=$!
sleep 1
SERVER_PID=$(pgrep -f "dev.cohort.cli.Main server --config fed.toml" | head -1)
COHORT_JAVA_OPTS="-Xmx10g" $C client --config fed.toml --partition 1-$N/$N > client.out 2> client.err &
PEAK=0
JCMD=$(dirname "$(readlink -f "$(command -v java)")")/jcmd
[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/jcmd ] && JCMD=/usr/lib/jvm/temurin-25-jdk-amd64/bin/jcmd
T=0
while kill -0 $SP 2>/dev/null; do
  H=$(grep VmHWM /proc/$SERVER_PID/status 2>/dev/null | awk '{print $2}')
  [ -n "$H" ] && PEAK=$H
  sleep 0.5
  T=$((T+1))
  if [ $((T % 4)) = 0 ]; then $JCMD $SERVER_PID GC.run >/dev/null 2>&1 || true; fi
done
wait
echo "clients $N: server peak RSS $((PEAK/1024)) MiB"
python3 -c "
import json; d=json.loads(open('server.out').read().strip().splitlines()[-1]); print('rounds', [round(r['seconds'],2) for r in d['rounds']], 'clients', [r['clients'] for r in d['rounds']], 'acc', d['final']['accuracy'])"
python3 - <<'PY'
import re
peak=0
for l in open('gc.log'):
    m=re.search(r'->(\d+)M\(', l)
    if m: peak=max(peak,int(m.group(1)))
print('server heap after GC, peak: %d MiB' % peak)
live=0
for l in open('gc.log'):
    if 'Diagnostic Command' in l:
        m=re.search(r'->(\d+)M\(', l)
        if m: live=max(live,int(m.group(1)))
print('server live heap (after forced full GCs), peak: %d MiB' % live)
PY
