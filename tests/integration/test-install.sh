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

echo "1..24"
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
check_file "the handwriting surname supplement" "$datadir/consent-kiosk/handwriting-surnames.model"

# The kiosk session (docs/ADMIN.md): the unit, the user, the data directory,
# each where systemd looks for them under this build's prefix.
check_systemd_file () {
  found=$(find "$tmp/root" -path "*/lib/$2" -type f | head -n 1)
  if [ -n "$found" ] && [ -s "$found" ]; then ok "$1 is installed (${found#"$tmp/root"})"; else not_ok "$1 is installed (no */lib/$2)"; fi
}
check_systemd_file "the kiosk session's unit" systemd/system/consent-kiosk.service
check_systemd_file "the sysusers.d file" sysusers.d/consent-kiosk.conf
check_systemd_file "the tmpfiles.d file" tmpfiles.d/consent-kiosk.conf
unit=$(find "$tmp/root" -path '*/lib/systemd/system/consent-kiosk.service' -type f | head -n 1)
# The unit starts the consent-kiosk this install put in bindir (not the build tree's).
if grep -q "^ExecStart=[^ ]*cage -- ${bindir#"$tmp/root"}/consent-kiosk --kiosk\$" "$unit" 2>/dev/null; then
  ok "the unit runs the installed consent-kiosk under cage"
else
  not_ok "the unit runs the installed consent-kiosk under cage"
  grep '^ExecStart' "$unit" 2>/dev/null | sed 's/^/# /'
fi
# The user the unit runs as is the one sysusers.d creates.
sysusers=$(find "$tmp/root" -path '*/lib/sysusers.d/consent-kiosk.conf' -type f | head -n 1)
user=$(sed -n 's/^User=//p' "$unit" 2>/dev/null)
if [ -n "$user" ] && grep -q "^u $user " "$sysusers" 2>/dev/null; then
  ok "sysusers.d creates the unit's user ($user)"
else
  not_ok "sysusers.d creates the unit's user (${user:-no User=})"
fi

# systemd's own checks of the installed unit, offline (no systemd running
# needed): syntax, every key and value, ExecStart='s cage executable, and the
# man pages of Documentation= (this install's, then the system's). It exits 0
# on unknown keys and bad values, so any message at all is a failure.
if ! command -v systemd-analyze >/dev/null 2>&1; then
  ok "# SKIP systemd-analyze is not installed (Debian: systemd)"
elif [ ! -x "$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$unit")" ]; then
  ok "# SKIP cage is not installed: systemd-analyze verify needs ExecStart='s program (scripts/install-deps)"
elif MANPATH="${mandir}:$(manpath -q 2>/dev/null || echo /usr/share/man)" \
       systemd-analyze verify "$unit" >"$tmp/verify" 2>&1 && [ ! -s "$tmp/verify" ]; then
  ok "systemd-analyze verify accepts the unit without a message"
else
  not_ok "systemd-analyze verify accepts the unit without a message"
  sed 's/^/# /' "$tmp/verify"
fi
# systemd-sysusers reads the file and would create the user in the groups it
# needs (a dry run against the DESTDIR: nothing is written anywhere).
mkdir -p "$tmp/root/etc"
if command -v systemd-sysusers >/dev/null 2>&1; then
  systemd-sysusers --root="$tmp/root" --dry-run >"$tmp/sysusers" 2>&1
  if grep -q "Creating user '$user'" "$tmp/sysusers" && ! grep -qiE 'fail|invalid|warn|ignor' "$tmp/sysusers"; then
    ok "systemd-sysusers creates the user $user"
  else
    not_ok "systemd-sysusers creates the user $user"
    sed 's/^/# /' "$tmp/sysusers"
  fi
else
  ok "# SKIP systemd-sysusers is not installed (Debian: systemd)"
fi

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
