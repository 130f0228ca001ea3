#!/usr/bin/env python3
"""Writes a Fashion-MNIST split of the Flower NIID-Bench baseline as a Cohort partition file.

The Flower baseline draws its label-quantity split with numpy's default_rng(seed): client i takes
class i mod 10 plus k-1 further classes drawn with rng.choice until distinct; then, class by class,
the class's training indices are shuffled with the same generator and cut into as many near-equal
parts as the class has holders, handed out in client order. Re-drawing it here with the same seed
gives the identical split, so Cohort can be run on exactly the client data the published figure
came from:

    /usr/bin/python3 cohort-benchmarks/scripts/niid_bench_partition.py 2 42 > /tmp/c2-seed42.txt
    ./cohort sim --config examples/niid-bench.toml --set data.partition=file \
        --set data.partition_file=/tmp/c2-seed42.txt --json

Arguments: k (classes per client, default 2), seed (default 42, the baseline's), clients (default 10).
With "dirichlet ALPHA [SEED [CLIENTS]]" it writes the baseline's Dirichlet label-skew split instead:
for each class in turn, the shuffled indices are cut by proportions drawn from Dirichlet(ALPHA), a
client already holding a tenth of the data getting no more, redrawn from the start until every
client holds at least 10 examples.
Needs numpy and the Debian package dataset-fashion-mnist.
"""
import gzip
import sys

import numpy as np

LABELS = "/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz"


def read_labels(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    if int.from_bytes(data[0:4], "big") != 0x00000801:
        raise SystemExit(f"{path}: not an IDX label file")
    count = int.from_bytes(data[4:8], "big")
    return np.frombuffer(data, dtype=np.uint8, offset=8, count=count).astype(np.int64)


def split(labels, k, seed, clients):
    rng = np.random.default_rng(seed)
    classes = int(labels.max()) + 1
    holders = [0] * classes
    held = []
    for i in range(clients):
        mine = [i % classes]
        holders[i % classes] += 1
        while len(mine) < k:
            c = rng.choice(classes, 1)[0]
            if c not in mine:
                mine.append(c)
                holders[c] += 1
        held.append(mine)
    parts = [[] for _ in range(clients)]
    for c in range(classes):
        indices = np.where(labels == c)[0]
        rng.shuffle(indices)
        pieces = np.array_split(indices, holders[c]) if holders[c] else []
        taken = 0
        for j in range(clients):
            if c in held[j]:
                parts[j].extend(pieces[taken].tolist())
                taken += 1
    return held, parts


def dirichlet_split(labels, alpha, seed, clients, min_size=10):
    rng = np.random.default_rng(seed)
    classes = int(labels.max()) + 1
    total = len(labels)
    smallest = 0
    while smallest < min_size:
        parts = [[] for _ in range(clients)]
        for c in range(classes):
            indices = np.where(labels == c)[0]
            rng.shuffle(indices)
            shares = rng.dirichlet(np.repeat(alpha, clients))
            shares = np.array([p * (len(part) < total / clients) for p, part in zip(shares, parts)])
            shares = shares / shares.sum()
            cuts = (np.cumsum(shares) * len(indices)).astype(int)[:-1]
            parts = [part + piece.tolist() for part, piece in zip(parts, np.split(indices, cuts))]
            smallest = min(len(part) for part in parts)
    return parts


def main():
    labels = read_labels(LABELS)
    if len(sys.argv) > 1 and sys.argv[1] == "dirichlet":
        alpha = float(sys.argv[2]) if len(sys.argv) > 2 else 0.5
        seed = int(sys.argv[3]) if len(sys.argv) > 3 else 42
        clients = int(sys.argv[4]) if len(sys.argv) > 4 else 10
        parts = dirichlet_split(labels, alpha, seed, clients)
        print(f"# NIID-Bench Dirichlet({alpha}) split of the Fashion-MNIST training set, numpy "
              f"default_rng({seed}), {clients} clients; one line of training-example indices per client")
        for j, part in enumerate(parts):
            counts = np.bincount(labels[part], minlength=10).tolist()
            print(f"# client {j}: {len(part)} examples, per class {counts}")
    else:
        k = int(sys.argv[1]) if len(sys.argv) > 1 else 2
        seed = int(sys.argv[2]) if len(sys.argv) > 2 else 42
        clients = int(sys.argv[3]) if len(sys.argv) > 3 else 10
        held, parts = split(labels, k, seed, clients)
        print(f"# NIID-Bench #C={k} split of the Fashion-MNIST training set, numpy default_rng({seed}), "
              f"{clients} clients; one line of training-example indices per client")
        for j, (classes, part) in enumerate(zip(held, parts)):
            print(f"# client {j}: classes {sorted(int(c) for c in classes)}, {len(part)} examples")
    for part in parts:
        print(" ".join(str(i) for i in sorted(part)))


if __name__ == "__main__":
    main()
