#!/usr/bin/env bash
# SIGKILLs `perfstat regress H --current C --append --fail-on never` at random moments and checks
# that the history is always the old one or the old one plus the new row, never truncated.
# Usage: bash scripts/killtest-append.sh [TRIALS] (default 200); PERFSTAT=path overrides the binary.
set -uo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${PERFSTAT:-target/release/perfstat}")
trials=${1:-200}
dir=$(mktemp -d /tmp/perfstat-killtest.XXXXXX)
trap 'rm -rf "$dir"' EXIT
{
  echo "night,commit,p95_latency_ms,throughput_rps"
  for k in $(seq 1 3000); do echo "$k,c$k,$((100 + k % 7)).5,$((900 + k % 11))"; done
} > "$dir/orig.csv"
printf 'night,commit,p95_latency_ms,throughput_rps\n3001,tonight,104.5,905\n' > "$dir/cur.csv"
cp "$dir/orig.csv" "$dir/plus1.csv"
echo "3001,tonight,104.5,905" >> "$dir/plus1.csv"
old=0 new=0 bad=0
for t in $(seq 1 "$trials"); do
  cp "$dir/orig.csv" "$dir/h.csv"
  "$bin" regress "$dir/h.csv" --current "$dir/cur.csv" --append --fail-on never >/dev/null 2>&1 &
  pid=$!
  # A random moment in the first 250 ms (a whole run takes about 50-200 ms here).
  sleep "$(printf '0.%03d' $((RANDOM % 250)))"
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  if cmp -s "$dir/h.csv" "$dir/orig.csv"; then
    old=$((old + 1))
  elif cmp -s "$dir/h.csv" "$dir/plus1.csv"; then
    new=$((new + 1))
  else
    bad=$((bad + 1))
    echo "trial $t: the history is neither the old nor the new one ($(wc -l < "$dir/h.csv") lines)"
  fi
done
left=$(find "$dir" -name '.h.csv.tmp-*' | wc -l)
echo "$trials kills: $old old, $new old+1, $bad broken; temporary files left now: $left"
# The next --append removes the temporary files of killed runs.
"$bin" regress "$dir/h.csv" --current "$dir/cur.csv" --append --fail-on never >/dev/null 2>&1
echo "after one more --append: $(find "$dir" -name '.h.csv.tmp-*' | wc -l) temporary files left"
[ "$bad" -eq 0 ]
