# Sourced by the pprof integration tests (after lib.sh): reading what
# `go tool pprof` says about a profile, to hold podflame's numbers against.
# Not a test itself (tests/run.sh runs *.sh only).

# pprof_raw_total FILE: sum of the first sample value (samples/count in
# every profile podflame or Go writes) over the samples of `pprof -raw`.
pprof_raw_total() {
	go tool pprof -raw "$1" 2>/dev/null | awk '
		/^Samples:/ { in_samples = 1; getline; next }
		/^Locations/ { in_samples = 0 }
		in_samples && /^ *[0-9]+( +[0-9]+)*: / { total += $1 }
		END { printf "%d\n", total }'
}

# pprof_top FILE: "flat<TAB>cum<TAB>name" for every function of
# `pprof -top`, in samples, every node, the " (inline)" mark removed.
pprof_top() {
	go tool pprof -top -sample_index=samples -symbolize=none -nodecount=1000000 -nodefraction=0 \
		-edgefraction=0 "$1" 2>/dev/null | awk '
		/^ *flat +flat%/ { table = 1; next }
		table && NF >= 6 {
			name = $0
			sub(/^ *[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+ +/, "", name)
			sub(/ \(inline\)$/, "", name)
			printf "%s\t%s\t%s\n", $1, $4, name
		}'
}

# report_rows FILE: "self<TAB>inclusive<TAB>name" for every function of
# `podflame report --top 0`.
report_rows() {
	"$PODFLAME" report --top 0 "$1" 2>/dev/null | awk '
		/^top functions by inclusive:/ { table = 1; getline; next }
		/^$/ { table = 0 }
		table && NF >= 5 {
			name = $0
			sub(/^ *[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+  /, "", name)
			printf "%s\t%s\t%s\n", $1, $3, name
		}'
}

# compare_top PPROF REPORT_INPUT: every function `go tool pprof -top` lists
# for PPROF must have the same flat/cum as podflame's report of
# REPORT_INPUT has self/inclusive (kernel frames: pprof's name + "_[k]").
# Prints the number compared on success; mismatches on stderr, status 1.
compare_top() {
	local pprof_rows report
	pprof_rows=$(pprof_top "$1")
	report=$(report_rows "$2")
	awk -F '\t' -v report="$report" '
		BEGIN {
			n = split(report, lines, "\n")
			for (i = 1; i <= n; i++) {
				split(lines[i], f, "\t")
				self[f[3]] = f[1]; incl[f[3]] = f[2]
			}
		}
		{
			name = $3
			if (!(name in self) && ((name "_[k]") in self))
				name = name "_[k]"
			if (!(name in self)) {
				print "  not in the report: " $3 > "/dev/stderr"; bad++; next
			}
			if (self[name] != $1 || incl[name] != $2) {
				printf "  %s: pprof flat %s cum %s, report self %s inclusive %s\n",
					name, $1, $2, self[name], incl[name] > "/dev/stderr"
				bad++
			}
			compared++
		}
		END {
			if (bad || !compared) exit 1
			print compared
		}' <<<"$pprof_rows"
}
