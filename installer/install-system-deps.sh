#!/usr/bin/env bash
# Debian/Ubuntu packages the app needs beyond Python: Qt's runtime libraries (widgets,
# xcb for a real window, NSS and friends for QtWebEngine), venv, fonts that cover Arabic,
# and the pieces of a ministry deployment that the `deployment` test tier runs on this
# machine: PostgreSQL, Redis and nginx (plus libpq and a compiler for Synapse's psycopg2).
# Installs only what is missing; does nothing when everything is there.
#
#   install-system-deps.sh           what `make run` and `make test` need
#   install-system-deps.sh --bench   also nheko, xvfb and xdotool, for benchmarks that drive
#                                    a second Matrix client (optional, see README.md)
#
# The test tier starts its own PostgreSQL, Redis and nginx in temp dirs on free loopback
# ports. It never uses the system services, so the ones this script installs are stopped
# and disabled again: a developer machine should not start serving on ports 80, 5432 and
# 6379 because tests needed the binaries.
set -euo pipefail

packages=(
  python3-venv
  libegl1 libgl1 libopengl0 libfontconfig1 libdbus-1-3 libglib2.0-0
  libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
  libxcb-shape0 libxcb-render-util0 libxcb-image0 libxcb-randr0 libxcb-xinerama0
  libnss3 libxcomposite1 libxdamage1 libxrandr2 libxtst6 libxshmfence1 libxkbfile1
  libasound2
  fonts-dejavu-core fonts-noto-core
  postgresql redis-server nginx libpq-dev gcc python3-dev
)
services=(postgresql redis-server nginx)
if [ "${1:-}" = "--bench" ]; then
  packages+=(nheko xvfb xdotool)
fi

if ! command -v dpkg >/dev/null 2>&1; then
  echo "install-system-deps: not a Debian-like system; install Qt 6's runtime libraries," \
    "PostgreSQL, Redis and nginx yourself." >&2
  exit 0
fi

missing=()
for pkg in "${packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "install-system-deps: please install as root: apt-get install ${missing[*]}" >&2
  exit 1
fi

# Keep the packages' maintainer scripts from starting services during the install
# (policy-rc.d is Debian's switch for that); an existing policy is left as it is.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
  "${sudo[@]}" chmod 755 "$policy"
  trap '"${sudo[@]}" rm -f "$policy"' EXIT
fi

echo "install-system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

# Services installed just now are not meant to run here (see the top of this file);
# services that were installed before are the administrator's and stay as they are.
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  for svc in "${services[@]}"; do
    if printf '%s\n' "${missing[@]}" | grep -qx "$svc"; then
      "${sudo[@]}" systemctl disable --now "$svc" >/dev/null 2>&1 || true
    fi
  done
fi
