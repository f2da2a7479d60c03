#!/usr/bin/env bash
# Kill test: SIGKILL perfstat at random moments and check that no file is lost.
#
#   bash scripts/killtest.sh [BIN] [RUNS]      (defaults: target/release/perfstat, 200)
#   PART=out|append|both (default both)
#
# Part "out": `perfstat ab ... --out rep --force` onto an existing report, killed after a
# random sleep between 0 and the typical run time. After each kill `rep` must be the complete
# old report or the complete new one (same file list, same bytes: `diff -r` against reference
# folders), never missing, truncated or mixed; then a full run onto it must leave the new
# report and no temporary folder (.rep.perfstat-*) next to it.
#
# Part "append": `perfstat regress HISTORY --current CUR --append --fail-on never`, killed the
# same way. The history must be the old file or the old file plus one row (byte for byte),
# never truncated. Files left next to it after a kill are counted (reported, not a violation).
#
# Exits 1 on any violation, and prints the figures.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bin=$(realpath "${1:-target/release/perfstat}")
runs=${2:-200}
part=${PART:-both}
work=$(mktemp -d /tmp/perfstat-killtest.XXXXXX)
trap 'rm -rf "$work"' EXIT
violations=0

# A random sleep in [0, max] seconds.
rsleep() { sleep "$(awk -v t="$1" -v r="$RANDOM" 'BEGIN { printf "%.4f", t * r / 32767 }')"; }
# The mean wall time of `"$@"` over 3 runs, in seconds.
typical() {
  local start end
  start=$(date +%s.%N)
  for _ in 1 2 3; do "$@" > /dev/null 2>&1; done
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", (b - a) / 3 }'
}
fail() { echo "VIOLATION (run $1): $2"; violations=$((violations + 1)); }

if [ "$part" = out ] || [ "$part" = both ]; then
  cd "$work"
  old=(ab "$root/data/control.csv" "$root/data/treatment.csv" --metric latency_ms --resamples 200)
  new=(ab "$root/data/control.csv" "$root/data/treatment.csv" --metric latency_ms --resamples 300)
  "$bin" "${old[@]}" --out ref-old > /dev/null 2>&1 || { echo "cannot write the old reference"; exit 2; }
  "$bin" "${new[@]}" --out ref-new > /dev/null 2>&1 || { echo "cannot write the new reference"; exit 2; }
  if diff -rq ref-old ref-new > /dev/null; then echo "the references do not differ"; exit 2; fi
  t=$(typical "$bin" "${new[@]}" --out ref-timing --force)
  rm -rf ref-timing
  echo "out: $runs runs of perfstat ab --out rep --force, SIGKILL after 0..${t}s (typical run)"
  n_old=0 n_new=0 litter=0
  for i in $(seq 1 "$runs"); do
    rm -rf rep .rep.perfstat-*
    cp -a ref-old rep
    "$bin" "${new[@]}" --out rep --force > /dev/null 2>&1 &
    pid=$!
    rsleep "$t"
    kill -9 "$pid" 2> /dev/null
    wait "$pid" 2> /dev/null
    if [ ! -d rep ]; then
      fail "$i" "rep is missing"; ls -a; continue
    elif diff -r rep ref-old > /dev/null; then
      n_old=$((n_old + 1))
    elif diff -r rep ref-new > /dev/null; then
      n_new=$((n_new + 1))
    else
      fail "$i" "rep is neither the old nor the new report"; diff -rq rep ref-old; diff -rq rep ref-new
    fi
    left=$(find . -maxdepth 1 -name '.rep.perfstat-*' | wc -l)
    litter=$((litter + left))
    # The next run cleans up after the killed one.
    if ! "$bin" "${new[@]}" --out rep --force > /dev/null 2>&1; then
      fail "$i" "the next run failed"
    fi
    if [ -n "$(find . -maxdepth 1 -name '.rep.*')" ]; then
      fail "$i" "the next run left $(find . -maxdepth 1 -name '.rep.*' | tr '\n' ' ')"
    fi
    if ! diff -r rep ref-new > /dev/null; then fail "$i" "the next run did not write the new report"; fi
  done
  echo "out: old report $n_old, new report $n_new, violations $violations;" \
    "temporary folders left by the killed runs: $litter (all removed by the next run)"
  cd "$root"
fi

if [ "$part" = append ] || [ "$part" = both ]; then
  cd "$work"
  mkdir -p append && cd append
  cp "$root/data/history.csv" hist-old.csv
  { head -1 hist-old.csv; echo "2024-03-31,abc1234,200.81,1500,0.00417,0.85,0.91"; } > cur.csv
  cp hist-old.csv hist-new.csv
  "$bin" regress hist-new.csv --current cur.csv --append --fail-on never > /dev/null 2>&1 \
    || { echo "cannot append to the reference"; exit 2; }
  if [ "$(wc -l < hist-new.csv)" -ne $(($(wc -l < hist-old.csv) + 1)) ]; then
    echo "the reference append did not add one row"; exit 2
  fi
  cp hist-old.csv timing.csv
  t=$(typical "$bin" regress timing.csv --current cur.csv --fail-on never)
  rm -f timing.csv
  echo "append: $runs runs of perfstat regress --append, SIGKILL after 0..${t}s (typical run)"
  a_old=0 a_new=0 a_litter=0 before=$violations
  for i in $(seq 1 "$runs"); do
    find . -maxdepth 1 -name '.hist*' -exec rm -rf {} +
    cp hist-old.csv hist.csv
    "$bin" regress hist.csv --current cur.csv --append --fail-on never > /dev/null 2>&1 &
    pid=$!
    rsleep "$t"
    kill -9 "$pid" 2> /dev/null
    wait "$pid" 2> /dev/null
    if [ ! -f hist.csv ]; then
      fail "$i" "the history is missing"
    elif cmp -s hist.csv hist-old.csv; then
      a_old=$((a_old + 1))
    elif cmp -s hist.csv hist-new.csv; then
      a_new=$((a_new + 1))
    else
      fail "$i" "the history is neither the old one nor the old one plus a row ($(wc -c < hist.csv) bytes)"
    fi
    a_litter=$((a_litter + $(find . -maxdepth 1 -name '.hist*' | wc -l)))
  done
  echo "append: old history $a_old, old + one row $a_new, violations $((violations - before));" \
    "files left next to the history by the killed runs: $a_litter"
  cd "$root"
fi

echo "violations: $violations"
[ "$violations" -eq 0 ]
