#!/bin/sh
# The CLI and the app come up in German under LANG=de_DE.UTF-8, from the catalog meson builds
# (PRINTWATCH_LOCALEDIR points the programs at it instead of the installed LOCALEDIR). TAP output.
# Usage: test-german.sh LOCALEDIR CLI [GUI]
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
localedir="$1" cli="$2" gui="${3:-}"

if ! locale -a 2>/dev/null | grep -qiE '^de_DE\.utf-?8$'; then
  echo "1..0 # SKIP no de_DE.UTF-8 locale (Debian: the locales-all package)"
  exit 0
fi

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# Nothing of the user's: a database, data and config folders of the test's own.
export XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache"
export PRINTWATCH_DB="$tmp/printwatch.db" PRINTWATCH_LOCALEDIR="$localedir"
unset LC_ALL LC_MESSAGES LANGUAGE

n=0
run () {  # run NAME LANG COMMAND…: output in $tmp/NAME, exit status in $tmp/NAME.status
  name="$1" lang="$2"
  shift 2
  LANG="$lang" "$@" > "$tmp/$name" 2>&1
  echo $? > "$tmp/$name.status"
}
expect () {  # expect NAME STATUS TEXT DESCRIPTION
  n=$((n + 1))
  status=$(cat "$tmp/$1.status")
  if [ "$status" -eq "$2" ] && grep -qF -- "$3" "$tmp/$1"; then
    echo "ok $n $4"
  else
    sed 's/^/# /' "$tmp/$1"
    echo "not ok $n $4 # exit status $status (expected $2), looked for “$3”"
  fi
}

run help de_DE.UTF-8 "$cli" --help
expect help 0 "Befehle:" "printwatch-cli --help lists its commands in German"
expect help 0 "Die Drucker und ihren letzten Stand auflisten" \
  "printwatch-cli --help describes a command in German"

run add de_DE.UTF-8 "$cli" add 127.0.0.9
expect add 0 "Drucker 127.0.0.9 hinzugefügt" "printwatch-cli add answers in German"
run list de_DE.UTF-8 "$cli" list
expect list 0 "ADRESSE" "printwatch-cli list has German column headings"
expect list 0 "nie" "printwatch-cli list says “never” in German"
run usage de_DE.UTF-8 "$cli" frobnicate
expect usage 2 "unbekannter Befehl" "printwatch-cli reports a usage error in German"

# The control: the same command in English, so the German above is not the only text there is.
run help-en C.UTF-8 "$cli" --help
expect help-en 0 "Commands:" "printwatch-cli --help is English under LANG=C.UTF-8"

if [ -n "$gui" ]; then
  # --help is answered before a display is needed.
  run gui-help de_DE.UTF-8 "$gui" --help
  expect gui-help 0 "Die Datenbankdatei" "printwatch --help describes its options in German"
fi
echo "1..$n"
