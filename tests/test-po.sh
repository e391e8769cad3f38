#!/bin/sh
# The translations: every catalog in po/ is listed in LINGUAS (and German is), each passes
# `msgfmt -c --check-format`, has nothing untranslated or fuzzy, and translates every msgid
# the sources have today (xgettext over POTFILES.in, as meson's glib preset runs it). TAP output.
# Usage: test-po.sh SOURCE_ROOT
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
root="$1"
cd "$root" || exit 1

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

linguas=$(sed -e 's/#.*//' po/LINGUAS | tr -s ' \t' '\n' | sed '/^$/d')
n=0
result () {  # result OK|FAIL DESCRIPTION [DETAIL]
  n=$((n + 1))
  if [ "$1" = OK ]; then echo "ok $n $2"; else echo "not ok $n $2${3:+ # $3}"; fi
}

# The keywords and flags of meson's i18n.gettext (preset: 'glib'), for the same msgids.
xgettext --package-name=printwatch --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dcgettext:2 \
  --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format --flag=g_print:1:c-format \
  --flag=g_printerr:1:c-format --flag=g_printf:1:c-format --flag=g_fprintf:2:c-format \
  --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format \
  -D . -f po/POTFILES.in -o "$tmp/printwatch.pot" 2> "$tmp/xgettext.log"
pot_ok=$?

count () {  # count PO: "TRANSLATED UNTRANSLATED FUZZY" from msgfmt --statistics
  LC_ALL=C msgfmt --statistics -o /dev/null "$1" 2>&1 | awk '
    { for (i = 1; i < NF; i++) {
        if ($(i+1) ~ /^translated/) t = $i
        if ($(i+1) ~ /^untranslated/) u = $i
        if ($(i+1) ~ /^fuzzy/) f = $i } }
    END { printf "%d %d %d\n", t, u, f }'
}

echo "$linguas" | grep -qx de && result OK "LINGUAS lists de" || result FAIL "LINGUAS lists de"
unlisted=""
for po in po/*.po; do
  lang=$(basename "$po" .po)
  echo "$linguas" | grep -qx "$lang" || unlisted="$unlisted $lang"
done
[ -z "$unlisted" ] && result OK "every catalog in po/ is in LINGUAS" \
  || result FAIL "every catalog in po/ is in LINGUAS" "not listed:$unlisted"
[ "$pot_ok" -eq 0 ] && result OK "xgettext extracts the msgids of POTFILES.in" \
  || result FAIL "xgettext extracts the msgids of POTFILES.in" "$(tr '\n' ' ' < "$tmp/xgettext.log")"

for lang in $linguas; do
  po="po/$lang.po"
  if msgfmt -c --check-format -o /dev/null "$po" 2> "$tmp/msgfmt.log"; then
    result OK "$po passes msgfmt -c --check-format"
  else
    sed 's/^/# /' "$tmp/msgfmt.log"
    result FAIL "$po passes msgfmt -c --check-format"
  fi

  set -- $(count "$po")
  [ "$2" -eq 0 ] && [ "$3" -eq 0 ] \
    && result OK "$po: $1 translated, none untranslated or fuzzy" \
    || result FAIL "$po has nothing untranslated or fuzzy" "$2 untranslated, $3 fuzzy"

  # Against today's sources: a msgid the catalog lacks is untranslated after msgmerge.
  if [ "$pot_ok" -eq 0 ] && msgmerge --quiet --no-fuzzy-matching -o "$tmp/$lang.po" \
       "$po" "$tmp/printwatch.pot" 2> /dev/null; then
    set -- $(count "$tmp/$lang.po")
    if [ "$2" -eq 0 ] && [ "$3" -eq 0 ]; then
      result OK "$po translates every msgid of the sources"
    else
      msgattrib --untranslated --no-obsolete --no-wrap "$tmp/$lang.po" \
        | sed -n 's/^msgid "\(..*\)"$/#   \1/p'
      result FAIL "$po translates every msgid of the sources" "$2 missing"
    fi
  else
    result FAIL "$po translates every msgid of the sources" "msgmerge failed"
  fi
done
echo "1..$n"
