#!/bin/sh
# Every translatable string in the sources has a current, non-fuzzy
# translation in each language of po/LINGUAS, and each catalogue passes
# msgfmt --check (format strings match). Output: TAP.
#
# Usage: check-translations.sh SOURCE_ROOT
set -eu

root=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cd "$root"
grep -v '^#' po/POTFILES.in | sed '/^$/d' > "$tmp/files"
xgettext --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=g_set_error:4:c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_print:1:c-format --flag=g_printerr:1:c-format \
  --files-from="$tmp/files" -o "$tmp/template.pot"

languages=$(sed '/^#/d;/^$/d' po/LINGUAS)
echo "1..$(( $(echo "$languages" | wc -w) * 2 ))"
n=0
status=0
for lang in $languages; do
  n=$((n + 1))
  if msgfmt --check -o /dev/null "po/$lang.po" 2>"$tmp/check"; then
    echo "ok $n - po/$lang.po passes msgfmt --check"
  else
    echo "not ok $n - po/$lang.po fails msgfmt --check"
    sed 's/^/# /' "$tmp/check"
    status=1
  fi

  n=$((n + 1))
  msgmerge --quiet --no-fuzzy-matching "po/$lang.po" "$tmp/template.pot" -o "$tmp/$lang.po"
  untranslated=$(msgattrib --untranslated --no-obsolete "$tmp/$lang.po" | grep -c '^msgid ' || true)
  fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$tmp/$lang.po" | grep -c '^msgid ' || true)
  # msgattrib prints the header entry too when anything else is printed.
  [ "$untranslated" -gt 0 ] && untranslated=$((untranslated - 1))
  [ "$fuzzy" -gt 0 ] && fuzzy=$((fuzzy - 1))
  if [ "$untranslated" -eq 0 ] && [ "$fuzzy" -eq 0 ]; then
    echo "ok $n - po/$lang.po translates every string"
  else
    echo "not ok $n - po/$lang.po: $untranslated untranslated, $fuzzy fuzzy"
    msgattrib --untranslated --no-obsolete "$tmp/$lang.po" | grep '^msgid ' | sed 's/^/# /'
    status=1
  fi
done
exit $status
