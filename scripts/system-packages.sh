#!/usr/bin/env bash
# Debian/Ubuntu packages Qt needs to run — offscreen and on a real X server (the xcb platform
# plugin links libxcb-icccm4, -keysyms1, -image0, -render-util0, -randr0, -shape0 and the others
# below; a missing one makes Qt stop with "Could not load the Qt platform plugin xcb"), Xvfb for
# the test that starts the real window, a CJK font for readable screenshots, poppler-utils for
# the PDF checks, binutils (strip) for the PyInstaller build and icu-devtools with gcc to trim
# the bundled ICU data to Chinese and English (the build keeps it whole without them), and
# LibreOffice Writer without its GUI, which stands in for Word and WPS in the tests that open the
# .docx reports (without it they are skipped). Installs only what is missing; does nothing on
# systems without apt/dpkg (Windows, macOS).
set -euo pipefail
command -v dpkg-query >/dev/null 2>&1 || exit 0
PACKAGES=(
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-randr0
  libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0 libxcb-sync1 libxcb-shm0
  libxcb-render0 libxcb-util1 libx11-xcb1 libsm6 libice6
  xvfb xauth fonts-wqy-microhei poppler-utils binutils icu-devtools gcc libreoffice-writer-nogui
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
