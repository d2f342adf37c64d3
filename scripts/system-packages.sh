#!/usr/bin/env bash
# Debian/Ubuntu packages Qt needs to run (also offscreen), a CJK font for readable screenshots,
# poppler-utils for the PDF checks and binutils (strip) for the PyInstaller build. Installs only
# what is missing; does nothing on systems without apt/dpkg (Windows, macOS).
set -euo pipefail
command -v dpkg-query >/dev/null 2>&1 || exit 0
PACKAGES=(
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0
  libxcb-cursor0 fonts-wqy-microhei poppler-utils binutils
)
missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
