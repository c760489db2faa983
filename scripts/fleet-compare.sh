#!/usr/bin/env bash
# fleet-compare.sh — compare the result sets of many machines in one step:
# the compare step of the CI fleet workflow (.github/workflows/
# concbench-fleet.yml), and the same step for people who gathered sets by hand.
#
# usage: scripts/fleet-compare.sh DIR [-o OUT] [-b LABEL] [-p PROFILE] [-k]
#                                     [-t TITLE] [-s FILE]
#   DIR         where the result sets are: every directory under it that holds
#               a bench.txt, at any depth (actions/download-artifact puts each
#               artifact in DIR/<artifact name>/, the set deeper inside)
#   -o OUT      write compare.html, compare.md and charts/ here (default: compare)
#   -b LABEL    the baseline: the set with this label or machine name (default:
#               the first set in path order, which for the workflow's artifacts
#               is the first runner of its list)
#   -p PROFILE  accept only sets of this profile (default: all sets must agree)
#   -k          keep going: leave out refused sets, naming them, and compare the
#               rest if two or more remain (default: any refused set stops it)
#   -t TITLE    title of the pages
#   -s FILE     append a Markdown summary to FILE (for $GITHUB_STEP_SUMMARY):
#               the sets left out and compare.md, its chart images replaced by
#               a note, since a job summary cannot show the artifact's files
# Each set is labelled by the "machine:" config line of its bench.txt (else by
# its directory); sets of one machine are told apart by their directory name
# (the run's stamp), else by a number. A set is refused when its bench.txt says
# "incomplete:" or "failed:" (anything but false), holds no benchmark result,
# or comes from another profile ("profile:" config lines) than the others.
# Then it runs `concbench compare -o OUT label=path ...` with the binary in
# CONCBENCH if set, else one built from this repository.
# Exit status: 0 compared; 2 bad usage, refused sets or bad input (concbench
# compare's own 2 included); 1 when building or writing fails.
# Portable bash: runs under macOS's bash 3.2 (no associative arrays, no mapfile).
set -eu

prog=fleet-compare.sh
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)

usage() { awk 'NR >= 6 && !/^#/ { exit } NR >= 6 { sub(/^# ?/, ""); print }' "$0"; }
die() {
	echo "$prog: $*" >&2
	exit 2
}

dir="" out=compare base="" want_profile="" keep=0 title="" summary=""
while [ $# -gt 0 ]; do
	case $1 in
	-o | -b | -p | -t | -s)
		[ $# -ge 2 ] || die "$1 needs a value (see $prog -h)"
		case $1 in
		-o) out=$2 ;;
		-b) base=$2 ;;
		-p) want_profile=$2 ;;
		-t) title=$2 ;;
		-s) summary=$2 ;;
		esac
		shift 2
		;;
	-k) keep=1 && shift ;;
	-h | -help | --help) usage && exit 0 ;;
	--)
		shift
		[ $# -le 1 ] || die "one DIR only, got $*"
		[ $# -eq 0 ] || { [ -z "$dir" ] || die "one DIR only, got '$dir' and '$1'"; dir=$1; }
		break
		;;
	-*) die "unknown option $1 (see $prog -h)" ;;
	*)
		[ -z "$dir" ] || die "one DIR only, got '$dir' and '$1'"
		dir=$1
		shift
		;;
	esac
done
[ -n "$dir" ] || die "give the directory that holds the result sets (usage: $prog DIR [-o OUT] ...; -h for more)"
[ -d "$dir" ] || die "$dir: not a directory"
while [ "${dir%/}" != "$dir" ] && [ "${dir%/}" != "" ]; do dir=${dir%/}; done
[ -n "$out" ] || die "-o needs a directory"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/fleet-compare.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# say_summary appends Markdown to the -s file, if one was given.
say_summary() {
	if [ -n "$summary" ]; then printf '%s\n' "$@" >>"$summary"; fi
}

# refusals collects one line per refused set, for the end and the summary.
: >"$tmp/refused"
refuse() {
	printf '%s\n' "$1" >>"$tmp/refused"
	echo "$prog: refused $1" >&2
}

# stop ends with status 2 after a refusal or bad input, saying so in the
# summary too.
stop() {
	echo "$prog: $1" >&2
	say_summary "### concbench fleet: nothing compared" "" "$1" ""
	if [ -s "$tmp/refused" ]; then
		say_summary "Refused:" ""
		while IFS= read -r r; do say_summary "- \`$r\`"; done <"$tmp/refused"
		say_summary ""
	fi
	exit 2
}

# values FILE KEY prints the value of every "KEY: value" config line of FILE,
# trimmed, in order.
values() {
	awk -v k="$2:" 'index($0, k) == 1 {
		v = substr($0, length(k) + 1); sub(/^[ \t]+/, "", v); sub(/[ \t\r]+$/, "", v); print v
	}' "$1"
}

# The sets, in path order (C locale, so the same on every machine).
find "$dir" -type f -name bench.txt -print | LC_ALL=C sort >"$tmp/found"
nfound=$(awk 'END { print NR }' "$tmp/found")
[ "$nfound" -gt 0 ] || stop "no result set (a directory holding bench.txt) under $dir"

# Parallel indexed arrays, one entry per accepted set: bash 3.2 has no
# associative arrays.
paths=() machines=() profiles=() stamps=()
while IFS= read -r f; do
	set_dir=$(dirname "$f")
	machine=$(values "$f" machine | awk 'NR == 1')
	if [ -z "$machine" ]; then
		# Not from bench.sh: name it by where it lies under DIR.
		machine=${set_dir#"$dir"}
		machine=${machine#/}
		[ -n "$machine" ] || machine=$(basename "$(cd "$set_dir" && pwd)")
		echo "$prog: $f has no machine: line; labelling it $machine" >&2
	fi
	what="$set_dir ($machine)"
	bad=""
	for key in incomplete failed; do
		v=$(values "$f" "$key" | awk '$0 != "false"' | awk 'NR == 1')
		if [ -n "$v" ]; then
			case $key in
			incomplete) bad="${bad:+$bad; }incomplete: $v (an interrupted run: cells are missing)" ;;
			failed) bad="${bad:+$bad; }failed: $v (a run of the matrix failed)" ;;
			esac
		fi
	done
	if ! grep -q '^Benchmark[^[:space:]]*[[:space:]][[:space:]]*[0-9]' "$f"; then
		bad="${bad:+$bad; }no benchmark result in $f"
	fi
	profile=$(values "$f" profile | LC_ALL=C sort -u | awk '{ printf "%s%s", (NR > 1 ? ", " : ""), $0 }')
	case $profile in
	"") profile=unknown ;;
	*,*) bad="${bad:+$bad; }mixed profiles within one set: $profile" ;;
	esac
	if [ -z "$bad" ] && [ -n "$want_profile" ] && [ "$profile" != "$want_profile" ]; then
		bad="profile $profile, not $want_profile"
	fi
	if [ -n "$bad" ]; then
		refuse "$what: $bad"
		continue
	fi
	paths+=("$f")
	machines+=("$machine")
	profiles+=("$profile")
	stamps+=("$(basename "$set_dir")")
done <"$tmp/found"
n=${#paths[@]}

nref=$(awk 'END { print NR }' "$tmp/refused")
if [ "$nref" -gt 0 ] && [ "$keep" = 0 ]; then
	stop "$nref of $nfound result sets refused; nothing compared (-k compares the rest)"
fi

# Every set from one profile: their batches and sample counts must match for
# a cell to mean the same thing on every machine.
i=0 first_profile=""
while [ "$i" -lt "$n" ]; do
	if [ "$i" = 0 ]; then
		first_profile=${profiles[0]}
	elif [ "${profiles[$i]}" != "$first_profile" ]; then
		j=0
		while [ "$j" -lt "$n" ]; do
			refuse "${paths[$j]%/bench.txt} (${machines[$j]}): profile ${profiles[$j]}"
			j=$((j + 1))
		done
		stop "the result sets come from different profiles; nothing compared (-p PROFILE keeps one)"
	fi
	i=$((i + 1))
done

if [ "$n" -lt 2 ]; then
	stop "need two or more result sets to compare, found $n under $dir ($nref refused)"
fi

# Labels: the machine; sets of one machine get @<their directory name> (the
# stamp), else #<number>. A label must not hold "=": concbench reads
# LABEL=PATH up to the first one.
labels=()
i=0
while [ "$i" -lt "$n" ]; do
	m=${machines[$i]}
	m=${m//=/-}
	dup=0 j=0
	while [ "$j" -lt "$n" ]; do
		if [ "$j" != "$i" ] && [ "${machines[$j]}" = "${machines[$i]}" ]; then dup=1; fi
		j=$((j + 1))
	done
	if [ "$dup" = 1 ]; then
		s=${stamps[$i]}
		m="$m@${s//=/-}"
	fi
	labels+=("$m")
	i=$((i + 1))
done
# Any label still shared (same machine, same stamp) gets a number: #1, #2, …
# in path order.
given=("${labels[@]}")
i=0
while [ "$i" -lt "$n" ]; do
	k=1 j=0 clash=0
	while [ "$j" -lt "$n" ]; do
		if [ "$j" != "$i" ] && [ "${given[$j]}" = "${given[$i]}" ]; then
			clash=1
			if [ "$j" -lt "$i" ]; then k=$((k + 1)); fi
		fi
		j=$((j + 1))
	done
	if [ "$clash" = 1 ]; then labels[i]="${given[$i]}#$k"; fi
	i=$((i + 1))
done

# The baseline first.
order=()
if [ -n "$base" ]; then
	b=-1 i=0
	while [ "$i" -lt "$n" ]; do
		if [ "$b" = -1 ] && { [ "${labels[$i]}" = "$base" ] || [ "${machines[$i]}" = "$base" ]; }; then b=$i; fi
		i=$((i + 1))
	done
	[ "$b" != -1 ] || stop "no result set labelled $base (-b); the sets are: ${labels[*]}"
	order+=("$b")
fi
i=0
while [ "$i" -lt "$n" ]; do
	if [ -z "$base" ] || [ "$i" != "${order[0]}" ]; then order+=("$i"); fi
	i=$((i + 1))
done

echo "$prog: comparing $n result sets (profile $first_profile), baseline first:" >&2
args=()
for i in "${order[@]}"; do
	# The set's directory, not its bench.txt: a set from before the
	# matrix-* lines is described by a matrix.txt beside it.
	printf '  %-28s %s\n' "${labels[$i]}" "${paths[$i]%/bench.txt}" >&2
	args+=("${labels[$i]}=${paths[$i]%/bench.txt}")
done
if [ "$nref" -gt 0 ]; then echo "$prog: left out $nref refused result set(s), named above" >&2; fi

if [ -n "${CONCBENCH:-}" ]; then
	concbench=$CONCBENCH
else
	concbench="$tmp/concbench"
	if ! (cd "$repo" && go build -o "$concbench" ./cmd/concbench); then
		echo "$prog: building concbench failed" >&2
		exit 1
	fi
fi

topt=()
if [ -n "$title" ]; then topt=(-title "$title"); fi
status=0
"$concbench" compare -o "$out" ${topt[@]+"${topt[@]}"} "${args[@]}" || status=$?
if [ "$status" != 0 ]; then
	[ "$status" = 2 ] && stop "concbench compare refused the sets (status 2, see above)"
	say_summary "### concbench fleet: concbench compare failed (status $status)" ""
	exit "$status"
fi

if [ -n "$summary" ]; then
	if [ "$nref" -gt 0 ]; then
		say_summary "> **Left out** (refused):" ">"
		while IFS= read -r r; do say_summary "> - \`$r\`"; done <"$tmp/refused"
		say_summary ""
	fi
	# A job summary shows no relative image; and it holds at most 1 MiB.
	md="$out/compare.md"
	sed -e 's|^!\[\([^]]*\)\](charts/[^)]*)$|*Chart: \1 (in the compare artifact).*|' \
		-e 's| (\[SVG\](charts/[^)]*))||' "$md" >"$tmp/summary.md"
	if [ "$(wc -c <"$tmp/summary.md")" -gt 900000 ]; then
		awk '/^## Scaling/ { exit } { print }' "$tmp/summary.md" >"$tmp/short.md"
		printf '\n*The full comparison is too long for a job summary: see compare.md in the compare artifact.*\n' >>"$tmp/short.md"
		mv "$tmp/short.md" "$tmp/summary.md"
	fi
	cat "$tmp/summary.md" >>"$summary"
fi
