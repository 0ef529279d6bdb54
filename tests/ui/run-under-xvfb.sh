#!/bin/sh
# Runs a UI test on its own X server and session bus, as a kiosk session
# has them: Xvfb at 1280x800, a private D-Bus session (GtkApplication and
# the accessibility bus need one). CK_XVFB_SCREEN (e.g. 1920x1920x24)
# gives a test a larger screen, for windows of a portrait kiosk's size.
#
# Only the test writes to standard output (it speaks TAP there); the
# X server, the bus and the services it starts write to standard error.
set -eu
exec 3>&1 1>&2
exec xvfb-run -a -s "-screen 0 ${CK_XVFB_SCREEN:-1280x800x24} -nolisten tcp" \
  dbus-run-session -- sh -c 'exec "$0" "$@" 1>&3 3>&-' "$@"
