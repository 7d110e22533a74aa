# TAP helpers for tests/cli/*.sh, sourced after their cd to the top:
#   ok NAME, not_ok NAME [FILE], check NAME COMMAND... (on failure shows
#   the tail of $T/$check_log, default "out"), has TEXT FILE.
# The caller prints "1..$n" at the end and exits with [ "$failed" -eq 0 ].
n=0 failed=0
check_log=out

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"
	[ -z "${2:-}" ] || sed 's/^/#   /' "$2" | tail -n 30
}
check() {
	local name=$1; shift
	if "$@"; then ok "$name"; else not_ok "$name" "$T/$check_log"; fi
}
has() { grep -qF -- "$1" "$2"; }
