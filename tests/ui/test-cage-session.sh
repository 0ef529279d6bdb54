#!/bin/sh
# The kiosk session of a branch PC, as consent-kiosk.service starts it, under
# a real cage on wlroots' headless backend (no GPU, no VT, no root): the
# command is the unit's own ExecStart= line, with the unit's Environment=, the
# build's consent-kiosk in place of the installed one. Checks that the kiosk's
# window comes up (a grim screenshot of cage's output that is not blank, saved
# as BUILD/tests/deploy-cage-kiosk.png), and that when the kiosk dies cage
# exits too, which is what lets the unit's Restart=always bring the whole
# session back. Output: TAP. Every process it starts is stopped on exit.
#
# Usage: test-cage-session.sh UNIT BUILT_KIOSK INSTALLED_KIOSK SCREENSHOT
set -u

unit=$1
built_kiosk=$2
installed_kiosk=$3
screenshot=$4

for prog in cage grim convert dbus-daemon ps setpriv; do
  if ! command -v "$prog" >/dev/null 2>&1; then
    echo "1..0 # SKIP $prog is not installed (scripts/install-deps installs it)"
    exit 0
  fi
done
echo "1..5"

tmp=$(mktemp -d)
cage_pid=
dbus_pid=
cleanup () {
  if [ -n "$dbus_pid" ]; then
    kill -KILL "-$dbus_pid" 2>/dev/null
    wait "$dbus_pid" 2>/dev/null
  fi
  if [ -n "$cage_pid" ]; then
    for child in $(ps -o pid= --ppid "$cage_pid" 2>/dev/null); do
      kill -KILL "$child" 2>/dev/null
    done
    kill -KILL "$cage_pid" 2>/dev/null
    wait "$cage_pid" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

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
log_tail () {
  sed 's/^/# /' "$tmp/cage.log" | tail -n 30
}

# 1. The unit's command line: cage, its options, the installed kiosk, its options.
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
case "$exec_start" in
  *" $installed_kiosk "*|*" $installed_kiosk")
    ok "ExecStart= runs $installed_kiosk: $exec_start" ;;
  *)
    not_ok "ExecStart= runs $installed_kiosk: $exec_start"
    exit 1 ;;
esac

# The session's environment as the unit sets it; the cache (the unit's
# /var/cache/consent-kiosk) goes to the test's directory.
mkdir -m 0700 "$tmp/run" "$tmp/data" "$tmp/cache"
sed -n 's/^Environment=//p' "$unit" > "$tmp/unit-env"
while IFS= read -r assignment; do
  export "${assignment?}"
done < "$tmp/unit-env"
export XDG_CACHE_HOME="$tmp/cache"
# The user's home (the unit's user has /var/lib/consent-kiosk) holds no
# configuration of its own.
mkdir -m 0700 "$tmp/home"
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config"
# What systemd and logind give the session, made up: a private runtime
# directory; no display of the machine's, no D-Bus session.
export XDG_RUNTIME_DIR="$tmp/run"
unset WAYLAND_DISPLAY DISPLAY DBUS_SESSION_BUS_ADDRESS
# The language is the unit's LC_ALL, not the tests' LANGUAGE=en.
unset LANGUAGE
# wlroots without hardware: an in-memory output, the software renderer, no
# input devices.
export WLR_BACKENDS=headless WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1
# Two outputs side by side (cage extends over both): with one, cage shows the
# full-screen kiosk's buffer directly (scan-out), which the headless backend
# cannot screenshot (grim gets black); a window over two outputs is composited.
export WLR_HEADLESS_OUTPUTS=2
# No GPU under the headless backend: GTK draws with cairo.
export GSK_RENDERER=cairo GDK_DEBUG=gl-disable
# The kiosk's own configuration: demo verifier, data in the test's directory.
cat > "$tmp/kiosk.conf" <<EOF
[organization]
name = 示例银行股份有限公司
business = 个人贷款
purpose = 身份核验和风险管理
[kiosk]
id = cage-test
data_dir = $tmp/data
[verification]
provider = demo
EOF
export CK_SYSTEM_CONFIG="$tmp/kiosk.conf"

# shellcheck disable=SC2086 # ExecStart= is split on spaces, as systemd does for it
set -- $exec_start
cmd=""
for word in "$@"; do
  if [ "$word" = "$installed_kiosk" ]; then word=$built_kiosk; fi
  cmd="$cmd $word"
done
# As the unit: an unprivileged user (User=; cage refuses to run as root) that
# cannot gain privileges (NoNewPrivileges=). Under root the test runs it as
# nobody, and hands it the test's directory.
if [ "$(id -u)" -eq 0 ]; then
  chown -R 65534:65534 "$tmp"
  as_user="setpriv --reuid=65534 --regid=65534 --clear-groups --no-new-privs"
else
  as_user="setpriv --no-new-privs"
fi
# The session's D-Bus: user@.service's bus at $XDG_RUNTIME_DIR/bus, which
# pam_systemd announces (Debian: dbus-user-session). In its own process group,
# so that whatever it starts (the accessibility bus) is stopped with it.
# shellcheck disable=SC2086
setsid $as_user dbus-daemon --session --nofork --nopidfile \
  --address="unix:path=$tmp/run/bus" >"$tmp/dbus.log" 2>&1 &
dbus_pid=$!
export DBUS_SESSION_BUS_ADDRESS="unix:path=$tmp/run/bus"
i=0
while [ ! -S "$tmp/run/bus" ] && [ $i -lt 100 ]; do
  sleep 0.1
  i=$((i + 1))
done
# shellcheck disable=SC2086
set -- $as_user $cmd
"$@" >"$tmp/cage.log" 2>&1 &
cage_pid=$!

# 2. cage comes up: its Wayland socket appears.
i=0
while [ ! -S "$tmp/run/wayland-0" ] && [ $i -lt 300 ] && kill -0 "$cage_pid" 2>/dev/null; do
  sleep 0.1
  i=$((i + 1))
done
if [ -S "$tmp/run/wayland-0" ]; then
  ok "cage listens on wayland-0"
else
  not_ok "cage listens on wayland-0"
  log_tail
  exit 1
fi

# 3. The kiosk's window is drawn: a screenshot of cage's output with more than
# a handful of colours (cage alone shows one: black).
colours=0
i=0
while [ $i -lt 90 ] && kill -0 "$cage_pid" 2>/dev/null; do
  if WAYLAND_DISPLAY=wayland-0 grim "$tmp/shot.png" 2>"$tmp/grim.log"; then
    colours=$(convert "$tmp/shot.png" -format '%k' info: 2>/dev/null || echo 0)
    if [ "$colours" -gt 64 ]; then
      # Settle: the welcome page's fonts and layout, then the picture kept.
      sleep 1
      WAYLAND_DISPLAY=wayland-0 grim "$tmp/shot.png" 2>>"$tmp/grim.log" || true
      colours=$(convert "$tmp/shot.png" -format '%k' info: 2>/dev/null || echo 0)
      break
    fi
  fi
  sleep 0.5
  i=$((i + 1))
done
if [ "$colours" -gt 64 ]; then
  cp "$tmp/shot.png" "$screenshot"
  ok "the kiosk's window is on cage's output ($colours colours; $screenshot)"
else
  not_ok "the kiosk's window is on cage's output (screenshot has $colours colours)"
  sed 's/^/# grim: /' "$tmp/grim.log" | tail -n 5
  log_tail
  exit 1
fi

# 4. The kiosk under cage read its configuration and opened its store there.
if [ -f "$tmp/data/consents.db" ]; then
  ok "the kiosk opened its store in the configured data_dir"
else
  not_ok "the kiosk opened its store in the configured data_dir"
  ls -la "$tmp/data" | sed 's/^/# /'
fi

# 5. Killing the kiosk (a crash) ends cage: the unit's Restart=always then
# starts the session again.
kiosk_pid=$(ps -o pid= --ppid "$cage_pid" | tr -d ' ' | head -n 1)
if [ -n "$kiosk_pid" ] && kill -KILL "$kiosk_pid" 2>/dev/null; then
  i=0
  while kill -0 "$cage_pid" 2>/dev/null && [ $i -lt 200 ]; do
    # A zombie counts as gone: wait reaps it below.
    if [ "$(ps -o stat= -p "$cage_pid" 2>/dev/null | cut -c1)" = Z ]; then break; fi
    sleep 0.1
    i=$((i + 1))
  done
  if [ "$(ps -o stat= -p "$cage_pid" 2>/dev/null | cut -c1)" = Z ] || ! kill -0 "$cage_pid" 2>/dev/null; then
    wait "$cage_pid"
    cage_status=$?
    cage_pid=
    ok "cage exits when the kiosk is killed (cage's status $cage_status)"
  else
    not_ok "cage exits when the kiosk is killed (still running after 20 s)"
    log_tail
  fi
else
  not_ok "cage exits when the kiosk is killed (no kiosk process under cage)"
  log_tail
fi

sed 's/^/# session: /' "$tmp/cage.log" | tail -n 10
exit $status
