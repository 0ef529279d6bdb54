# Shared by the scripts in this folder. Source it; do not run it.

# meson_setup DIR [OPTION…]: configures DIR, or reconfigures it when it
# already holds a build tree (a fresh clone has none).
meson_setup () {
  dir=$1
  shift
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "$@"
  else
    meson setup "$dir" "$@"
  fi
}
