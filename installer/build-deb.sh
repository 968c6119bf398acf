#!/usr/bin/env bash
# Build the workstation package: build/deb/open-operations-room_<version>_amd64.deb.
#
# Route: a self-contained virtualenv under /opt/open-operations-room, installed from
# wheels (the same wheels the tests run on), with the Debian system Python 3.11 as its
# interpreter. Not PyInstaller: the embedded homeserver runs as `python -m
# synapse.app.homeserver`, which needs a real interpreter, and QtWebEngine's helper
# process and data files need no hooks this way. See docs/deployment.md.
#
# Needs pip to reach an index (or a wheelhouse through PIP_FIND_LINKS) at build time;
# the .deb itself installs without a network. OUT=dir puts the package elsewhere.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
src="$(cd "$here/.." && pwd)"
python="${PYTHON:-/usr/bin/python3.11}"  # the interpreter the package depends on
prefix=/opt/open-operations-room
out="${OUT:-$src/build/deb}"
stage="$out/stage"
version="$("$python" -c 'import ast, sys; m = ast.parse(open(sys.argv[1]).read()); print(next(n.value.value for n in m.body if isinstance(n, ast.Assign) and n.targets[0].id == "__version__"))' "$src/app/__init__.py")"
package="$out/open-operations-room_${version}_amd64.deb"

rm -rf "$stage"
doc="$stage/usr/share/doc/open-operations-room"
mkdir -p "$stage$prefix" "$stage/DEBIAN" "$stage/usr/bin" \
  "$stage/usr/share/applications" "$stage/usr/share/icons/hicolor/scalable/apps" \
  "$stage/lib/systemd/system" "$doc"

echo "build-deb: installing the app and its dependencies into $prefix (staged)"
"$python" -m venv "$stage$prefix"
"$stage$prefix/bin/python" -m pip install --quiet --no-cache-dir --use-pep517 "$src[synapse]" 2> >(grep -v "^WARNING: Location" >&2)
"$stage$prefix/bin/python" -m pip uninstall --quiet --yes pip

# The venv was made in the staging dir: point its scripts and config at the real prefix.
grep -rlI --null "$stage$prefix" "$stage$prefix/bin" "$stage$prefix/pyvenv.cfg" \
  | xargs -0 --no-run-if-empty sed -i "s|$stage$prefix|$prefix|g"
find "$stage$prefix" -name '__pycache__' -path '*/bin/*' -prune -exec rm -rf {} +

ln -s "$prefix/bin/oor" "$stage/usr/bin/oor"
install -m 644 "$here/debian/open-operations-room.desktop" "$stage/usr/share/applications/"
install -m 644 "$here/debian/open-operations-room.svg" "$stage/usr/share/icons/hicolor/scalable/apps/"
# The records keeper's unit, installed but not enabled: it needs its account, its
# environment file (from the example) and a login first (the unit's header says how).
install -m 644 "$here/systemd/oor-keeper.service" "$stage/lib/systemd/system/"
install -m 644 "$here/systemd/keeper.env.example" "$src/docs/deployment.md" "$doc/"

size_kb="$(du -sk "$stage" | cut -f1)"
cat > "$stage/DEBIAN/control" <<CONTROL
Package: open-operations-room
Version: $version
Architecture: amd64
Maintainer: Open Operations Room maintainers <oor@invalid>
Installed-Size: $size_kb
Depends: python3.11, libegl1, libgl1, libopengl0, libfontconfig1, libdbus-1-3, libglib2.0-0, libxkbcommon0, libxkbcommon-x11-0, libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, libxcb-shape0, libxcb-render-util0, libxcb-image0, libxcb-randr0, libxcb-xinerama0, libnss3, libxcomposite1, libxdamage1, libxrandr2, libxtst6, libxshmfence1, libxkbfile1, libasound2, fonts-noto-core
Section: net
Priority: optional
Homepage: https://github.com/open-operations-room
Description: Matrix-backed crisis room for digital diplomacy
 Open Operations Room keeps one shared, end-to-end encrypted timeline of a
 crisis, carries instructions from the capital to negotiating delegations with
 acknowledgements, and shows live situation charts. Interface in English and
 Arabic. Self-contained: Python packages live under /opt/open-operations-room.
CONTROL

echo "build-deb: packing $package"
dpkg-deb --root-owner-group -Zgzip -z1 --build "$stage" "$package" >/dev/null
rm -rf "$stage"
echo "$package"
