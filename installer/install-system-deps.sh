#!/usr/bin/env bash
# Debian/Ubuntu packages the app needs beyond Python: Qt's runtime libraries (widgets,
# xcb for a real window, NSS and friends for QtWebEngine), venv, and fonts that cover
# Arabic. Installs only what is missing; does nothing when everything is there.
set -euo pipefail

packages=(
  python3-venv
  libegl1 libgl1 libopengl0 libfontconfig1 libdbus-1-3 libglib2.0-0
  libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
  libxcb-shape0 libxcb-render-util0 libxcb-image0 libxcb-randr0 libxcb-xinerama0
  libnss3 libxcomposite1 libxdamage1 libxrandr2 libxtst6 libxshmfence1 libxkbfile1
  libasound2
  fonts-dejavu-core fonts-noto-core
)

if ! command -v dpkg >/dev/null 2>&1; then
  echo "install-system-deps: not a Debian-like system; install Qt 6's runtime libraries yourself." >&2
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
echo "install-system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
