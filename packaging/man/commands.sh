#!/usr/bin/env bash
# Prints a help2man include file (help2man(1) "INCLUDE FILES") with a COMMANDS section: the
# --help of every subcommand, walked recursively from `dogwatch --help` (`config`, then
# `config check`, ...). Nothing here names a command or an option, so the man page cannot drift
# from the CLI: a new subcommand or flag appears at the next build.
# Usage: commands.sh DOGWATCH_BINARY > commands.h2m
set -euo pipefail
bin=$1

# The names under "Subcommands:" in a command's --help (CLI11's layout: two spaces, the name).
subcommands() {
  "$bin" "$@" --help | awk '/^Subcommands:/ { on = 1; next }
                            on && /^  [^ ]/ { print $1; next }
                            on && !/^  / { on = 0 }'
}

# CLI11's help as roff: the description, the usage line, then each positional and option as a
# tagged paragraph. Every text line starts with \& so that no line can read as a roff request or as
# help2man's "[section]" and "/pattern/" markers. "-h,--help" is left out (every command has it),
# and so is the list of subcommands (each follows as its own subsection).
to_roff() {
  awk -v cmd="$1" '
    function esc(s) { gsub(/\\/, "\\e", s); gsub(/-/, "\\-", s); return s }
    function term(s,   n, i, w, out) {
      n = split(s, w, " ")
      for (i = 1; i <= n; i++) {
        if (w[i] ~ /^--?[A-Za-z]/) { gsub(/,/, "\\fR,\\fB", w[i]); w[i] = "\\fB" esc(w[i]) "\\fR" }
        else w[i] = esc(w[i])
        out = out (i > 1 ? " " : "") w[i]
      }
      return out
    }
    function flush() {
      if (t != "" && t !~ /^-h,--help/) { print ".TP"; print "\\&" term(t); print "\\&" esc(d) }
      t = ""; d = ""
    }
    BEGIN { state = "description" }
    /^Usage: / {
      rest = substr($0, 8); sub("^" cmd " ?", "", rest)
      print ".PP"; print "\\&\\fB" esc(cmd) "\\fR " esc(rest)
      state = "between"; next
    }
    state == "description" { if ($0 != "") print "\\&" esc($0); next }
    /^Subcommands:/ { flush(); state = "subcommands"; next }
    /^[^ ].*:$/ { flush(); state = "items"; next }
    state != "items" { next }
    /^  [^ ]/ {
      flush(); s = substr($0, 3); i = index(s, "  ")
      if (i) { t = substr(s, 1, i - 1); d = substr(s, i); sub(/^ +/, "", d) } else { t = s }
      next
    }
    /^    +[^ ]/ { s = $0; sub(/^ +/, "", s); d = d (d == "" ? "" : " ") s; next }
    /^$/ { flush() }
    END { flush() }'
}

emit() {
  local path="dogwatch $*"
  echo ".SS \"$(sed 's/-/\\-/g' <<<"$path")\""
  "$bin" "$@" --help | to_roff "$path"
  local sub
  for sub in $(subcommands "$@"); do emit "$@" "$sub"; done
}

echo "[COMMANDS]"
# Left-aligned and unhyphenated from here on: paths and flags read better unbroken.
echo ".ad l"
echo ".nh"
echo "Each command takes \\fB\\-\\-help\\fR. Administration commands work on the database directly,"
echo "whether or not the server runs."
for sub in $(subcommands); do emit "$sub"; done
