#!/bin/sh
# `meson install` into a DESTDIR puts exactly the expected files at the expected paths, and the
# UI is compiled into the GUI (a GResource), never installed as loose .ui files. TAP output.
# Usage: test-install.sh SOURCE_ROOT BUILD_ROOT PREFIX APP_ID GUI(true|false)
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
root="$1" build="$2" prefix="$3" app_id="$4" gui="$5"

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
destdir="$tmp/destdir"

# The list, relative to the prefix. A file added to the install must be added here too.
{
  echo "bin/printwatch-cli"
  echo "bin/printwatch-collector"
  echo "lib/systemd/user/printwatch.service"
  echo "share/glib-2.0/schemas/$app_id.gschema.xml"
  echo "share/locale/de/LC_MESSAGES/printwatch.mo"
  echo "share/printwatch/printwatch-payload.schema.json"
  if [ "$gui" = true ]; then
    echo "bin/printwatch"
    echo "share/applications/$app_id.desktop"
    echo "share/icons/hicolor/scalable/apps/$app_id.svg"
    echo "share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg"
    echo "share/metainfo/$app_id.metainfo.xml"
    echo "share/printwatch/$app_id.Autostart.desktop"
  fi
} | sort > "$tmp/expected"

n=0
result () {  # result OK|FAIL DESCRIPTION [DETAIL]
  n=$((n + 1))
  if [ "$1" = OK ]; then echo "ok $n $2"; else echo "not ok $n $2${3:+ # $3}"; fi
}

echo "1..6"
if meson install --destdir "$destdir" --no-rebuild --quiet -C "$build" > "$tmp/log" 2>&1; then
  result OK "meson install into a DESTDIR succeeds"
else
  sed 's/^/# /' "$tmp/log"
  result FAIL "meson install into a DESTDIR succeeds"
fi

top="$destdir$prefix"
(cd "$top" 2>/dev/null && find . -type f -o -type l) | sed 's|^\./||' | sort > "$tmp/installed"
missing=$(comm -23 "$tmp/expected" "$tmp/installed" | tr '\n' ' ')
extra=$(comm -13 "$tmp/expected" "$tmp/installed" | tr '\n' ' ')
[ -z "$missing" ] && result OK "every expected file is installed" \
  || result FAIL "every expected file is installed" "missing: $missing"
[ -z "$extra" ] && result OK "nothing else is installed" \
  || result FAIL "nothing else is installed" "unexpected: $extra"
outside=$(cd "$destdir" && find . -type f | grep -v "^\.$prefix/" | tr '\n' ' ')
[ -z "$outside" ] && result OK "nothing is installed outside the prefix" \
  || result FAIL "nothing is installed outside the prefix" "$outside"

loose=$(cd "$destdir" && find . -name '*.ui' | tr '\n' ' ')
[ -z "$loose" ] && result OK "no .ui file is installed" || result FAIL "no .ui file is installed" "$loose"

if [ "$gui" != true ]; then
  result OK "the templates are compiled into the GUI # SKIP -Dgui=false"
elif ! command -v gresource > /dev/null; then
  result OK "the templates are compiled into the GUI # SKIP no gresource tool"
else
  # Every file of ui/printwatch.gresource.xml is in the installed binary's resources.
  gresource list "$top/bin/printwatch" > "$tmp/resources" 2>&1
  absent=""
  for f in $(sed -n 's|.*<file[^>]*>\([^<]*\)</file>.*|\1|p' "$root/ui/printwatch.gresource.xml"); do
    grep -q "/$f\$" "$tmp/resources" || absent="$absent $f"
  done
  [ -z "$absent" ] && grep -q '\.ui$' "$tmp/resources" \
    && result OK "the templates are compiled into the GUI" \
    || result FAIL "the templates are compiled into the GUI" "not in bin/printwatch:$absent"
fi
