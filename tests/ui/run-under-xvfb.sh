#!/bin/sh
# Runs a UI test on its own X server and session bus, as a kiosk session
# has them: Xvfb at 1280x800 (or --screen WxHxDEPTH first), a private D-Bus
# session (GtkApplication and the accessibility bus need one).
#
# Only the test writes to standard output (it speaks TAP there); the
# X server, the bus and the services it starts write to standard error.
set -eu
screen=1280x800x24
if [ "${1:-}" = --screen ]; then
  screen=$2
  shift 2
fi
exec 3>&1 1>&2
exec xvfb-run -a -s "-screen 0 $screen -nolisten tcp" \
  dbus-run-session -- sh -c 'exec "$0" "$@" 1>&3 3>&-' "$@"
