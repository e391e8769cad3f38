#!/bin/sh
# po/POTFILES.in must name every file with translatable strings, and only
# files that exist. TAP output: one line per check.
# Usage: test-potfiles.sh SOURCE_ROOT
set -u
root="$1"
cd "$root" || exit 1

listed=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' po/POTFILES.in | sort)
marked=$(grep -rlE '(^|[^A-Za-z0-9_])N?_\(|ngettext \(|translatable="yes"' src ui data \
           --include='*.c' --include='*.ui' --include='*.in' 2>/dev/null | sort)
# Desktop files, the GSettings schema and the metainfo are translatable by their keys and
# elements (gettext's ITS rules), not by markers.
marked=$(printf '%s\n%s\n%s\n%s\n' "$marked" "$(ls data/*.desktop.in* 2>/dev/null)" \
           "$(ls data/*.gschema.xml.in 2>/dev/null)" "$(ls data/*.metainfo.xml.in* 2>/dev/null)" \
           | sed '/^$/d' | sort -u)

echo "1..2"
missing_files=""
for f in $listed; do
  [ -f "$f" ] || missing_files="$missing_files $f"
done
if [ -z "$missing_files" ]; then
  echo "ok 1 every file in POTFILES.in exists"
else
  echo "not ok 1 POTFILES.in names files that do not exist:$missing_files"
fi

unlisted=$(printf '%s\n' "$marked" | while read -r f; do
  printf '%s\n' "$listed" | grep -qxF "$f" || printf ' %s' "$f"
done)
if [ -z "$unlisted" ]; then
  echo "ok 2 every file with translatable strings is in POTFILES.in"
else
  echo "not ok 2 files with translatable strings missing from POTFILES.in:$unlisted"
fi
