#!/usr/bin/env bash
# Cohort vs PyTorch local-training throughput, measured side by side on this machine.
#   cohort-benchmarks/scripts/vs-pytorch.sh [ROUNDS]     (run on an otherwise idle machine)
# Each configuration alternates PyTorch and Cohort ROUNDS times (default 3) and reports the medians,
# for Cohort both with OpenBLAS (when installed) and with the pure-Java kernel alone.
# Needs: apt-get install python3-torch dataset-fashion-mnist libopenblas0-pthread
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ROUNDS="${1:-3}"
export OPENBLAS_NUM_THREADS=1
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
cohort_sps() { # blas model batch
  COHORT_JAVA_OPTS="-Dcohort.blas=$1" COHORT_SKIP_BUILD=1 "$ROOT/cohort" bench train --model "$2" \
    --batch-size "$3" --json 2>/dev/null | tail -1 | sed -E 's/.*"samples_per_second":([0-9.E+-]+).*/\1/'
}
"$ROOT/cohort" --version >/dev/null  # builds if needed
printf "| model | batch | PyTorch samples/s | Cohort OpenBLAS | ratio | Cohort pure Java | ratio |\n|---|---|---|---|---|---|---|\n"
configs=("mlp 32" "mlp 10" "cnn 10" "cnn 32")
for cfg in "${configs[@]}"; do
  set -- $cfg
  t=(); o=(); j=()
  for _ in $(seq "$ROUNDS"); do
    t+=("$(/usr/bin/python3 "$ROOT/cohort-benchmarks/scripts/torch_baseline.py" "$1" "$2")")
    o+=("$(cohort_sps openblas "$1" "$2" || echo nan)")
    j+=("$(cohort_sps java "$1" "$2")")
  done
  tm=$(printf "%s\n" "${t[@]}" | median); om=$(printf "%s\n" "${o[@]}" | median); jm=$(printf "%s\n" "${j[@]}" | median)
  awk -v m="$1" -v b="$2" -v t="$tm" -v o="$om" -v j="$jm" 'BEGIN {
    printf "| %s | %s | %.0f | %.0f | %.2fx | %.0f | %.2fx |\n", m, b, t, o, o / t, j, j / t }'
done
