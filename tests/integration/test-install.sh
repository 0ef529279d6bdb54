#!/bin/sh
# Installs the build into a temporary DESTDIR (no root needed) and checks
# that every file a package needs is there, and that each man page renders
# without a warning. Output: TAP.
#
# Usage: test-install.sh BUILD_ROOT
set -eu

build=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! meson install -C "$build" --destdir "$tmp/root" --no-rebuild --quiet >"$tmp/install.log" 2>&1; then
  echo "1..1"
  echo "not ok 1 - meson install --destdir"
  sed 's/^/# /' "$tmp/install.log"
  exit 1
fi

# Where this build installs, as meson configured it (prefix, bindir, ...).
meson introspect --buildoptions "$build" > "$tmp/options.json"
dir () {
  python3 - "$tmp/options.json" "$1" <<'PY'
import json, os, sys
opts = {o['name']: o['value'] for o in json.load(open(sys.argv[1], encoding='utf-8'))}
print(os.path.join(opts['prefix'], opts[sys.argv[2]]))
PY
}
bindir=$tmp/root$(dir bindir)
datadir=$tmp/root$(dir datadir)
sysconfdir=$tmp/root$(dir sysconfdir)
localedir=$tmp/root$(dir localedir)
mandir=$tmp/root$(dir mandir)
app_id=org.consentkiosk.ConsentKiosk

n=0
status=0
ok () {
  n=$((n + 1))
  echo "ok $n - $1"
}
not_ok () {
  n=$((n + 1))
  echo "not ok $n - $1"
  status=1
}
check_file () {
  if [ -f "$2" ] && [ -s "$2" ]; then ok "$1 is installed"; else not_ok "$1 is installed (${2#"$tmp/root"} missing)"; fi
}

echo "1..16"
for bin in consent-kiosk consentctl; do
  if [ -x "$bindir/$bin" ]; then ok "bin/$bin is installed, executable"; else not_ok "bin/$bin is installed, executable"; fi
done
check_file "the desktop file" "$datadir/applications/$app_id.desktop"
check_file "the AppStream metainfo" "$datadir/metainfo/$app_id.metainfo.xml"
check_file "the scalable icon" "$datadir/icons/hicolor/scalable/apps/$app_id.svg"
check_file "the symbolic icon" "$datadir/icons/hicolor/symbolic/apps/$app_id-symbolic.svg"
check_file "the zh_CN catalogue" "$localedir/zh_CN/LC_MESSAGES/consent-kiosk.mo"
check_file "consent-kiosk.1" "$mandir/man1/consent-kiosk.1"
check_file "consentctl.1" "$mandir/man1/consentctl.1"
check_file "the example configuration" "$sysconfdir/consent-kiosk/kiosk.conf.example"
check_file "the letter template" "$datadir/consent-kiosk/templates/authorization-letter.txt"
check_file "the template format's README" "$datadir/consent-kiosk/templates/README.md"

# The installed desktop file is translated.
if grep -q '^Name\[zh_CN\]=' "$datadir/applications/$app_id.desktop" 2>/dev/null; then
  ok "the desktop file has a zh_CN name"
else
  not_ok "the desktop file has a zh_CN name"
fi

# The installed consentctl runs (from the DESTDIR: nothing hard-codes the build tree).
if "$bindir/consentctl" --version >"$tmp/version" 2>&1; then
  ok "the installed consentctl runs"
else
  not_ok "the installed consentctl runs"
  sed 's/^/# /' "$tmp/version"
fi

# Each man page renders with tbl and groff's man macros, all warnings on,
# without a single message.
for page in consent-kiosk consentctl; do
  if groff -t -man -Tutf8 -z -ww "$mandir/man1/$page.1" >"$tmp/groff" 2>&1 && [ ! -s "$tmp/groff" ]; then
    ok "$page.1 renders without warnings"
  else
    not_ok "$page.1 renders without warnings"
    sed 's/^/# /' "$tmp/groff"
  fi
done
exit $status
