# Shared by the bench scripts: `measure NAME CMD...` runs CMD 3 times under GNU time (stdout to
# bench-data/out.txt), prints each run (wall time, CPU time = user + sys, peak RSS), and leaves the
# median wall time in $MEDIAN_S, the median CPU time in $MEDIAN_CPU_S and the largest peak RSS in
# $PEAK_MB; `ratio A B GOAL` prints A / B against the goal (ratio ≤ GOAL).
# Source it from the repository root.
measure() {
  local name=$1; shift
  local walls=() cpus=() rss_max=0
  for run in 1 2 3; do
    /usr/bin/time -f '%e %M %U %S' -o bench-data/time.txt "$@" > bench-data/out.txt
    read -r wall rss user sys < bench-data/time.txt
    cpu=$(echo "$user + $sys" | bc -l)
    walls+=("$wall")
    cpus+=("$cpu")
    [ "$rss" -gt "$rss_max" ] && rss_max=$rss
    printf '%-56s run %d %8.2f s (cpu %6.2f s) %8.0f MB\n' "$name" "$run" "$wall" "$cpu" "$(echo "$rss / 1024" | bc -l)"
  done
  MEDIAN_S=$(printf '%s\n' "${walls[@]}" | sort -g | sed -n 2p)
  MEDIAN_CPU_S=$(printf '%s\n' "${cpus[@]}" | sort -g | sed -n 2p)
  PEAK_MB=$(echo "$rss_max / 1024" | bc -l)
  printf '%-56s median %6.2f s (cpu %.2f s), peak RSS %.0f MB\n' "$name" "$MEDIAN_S" "$MEDIAN_CPU_S" "$PEAK_MB"
}
ratio() {
  awk -v a="$1" -v b="$2" -v g="$3" 'BEGIN {
    r = a / b; printf "ratio perfstat / peer = %.3f (goal <= %s): %s\n", r, g, (r <= g ? "MET" : "NOT MET") }'
}
