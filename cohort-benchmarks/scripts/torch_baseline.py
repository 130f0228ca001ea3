"""PyTorch CPU training throughput on Fashion-MNIST: the baseline of `cohort bench train`.

Same models, data, normalisation, loss and optimiser (SGD, lr 0.05) as Cohort's benchmark; 2 torch
threads with OpenBLAS held to one thread. Prints the median samples/s of 3 timed passes after one
warm-up pass.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 torch_baseline.py mlp|cnn|simple-cnn BATCH
Needs Debian's python3-torch and dataset-fashion-mnist.
"""
import gzip
import os
import statistics
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

DATA = "/usr/share/datasets/fashion-mnist"


def fashion_mnist(count):
    with gzip.open(f"{DATA}/train-images-idx3-ubyte.gz") as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)[:count]
    with gzip.open(f"{DATA}/train-labels-idx1-ubyte.gz") as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)[:count]
    x = (images.astype(np.float32) / 255.0 - 0.2860) / 0.3530
    return torch.from_numpy(x), torch.from_numpy(labels.astype(np.int64))


def model(kind):
    if kind == "mlp":  # the "2NN" of McMahan et al. 2017
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 200), nn.ReLU(), nn.Linear(200, 200), nn.ReLU(),
                             nn.Linear(200, 10))
    if kind == "cnn":  # McMahan et al. 2017
        return nn.Sequential(nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                             nn.Linear(3136, 512), nn.ReLU(), nn.Linear(512, 10))
    if kind == "simple-cnn":  # NIID-Bench, Li et al. 2022
        return nn.Sequential(nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(),
                             nn.MaxPool2d(2), nn.Flatten(), nn.Linear(256, 120), nn.ReLU(), nn.Linear(120, 84),
                             nn.ReLU(), nn.Linear(84, 10))
    raise SystemExit(f"unknown model {kind!r}: mlp, cnn or simple-cnn")


def main():
    kind, batch = sys.argv[1], int(sys.argv[2])
    torch.set_num_threads(2)
    torch.manual_seed(0)
    count = 10000 if kind == "mlp" else 2000
    x, y = fashion_mnist(count)
    net = model(kind)
    opt = torch.optim.SGD(net.parameters(), lr=0.05)

    def one_pass():
        start = time.perf_counter()
        for i in range(0, count, batch):
            opt.zero_grad()
            F.cross_entropy(net(x[i:i + batch]), y[i:i + batch]).backward()
            opt.step()
        return count / (time.perf_counter() - start)

    one_pass()
    print(f"{statistics.median(one_pass() for _ in range(3)):.1f}")


main()
