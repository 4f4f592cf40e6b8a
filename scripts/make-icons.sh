#!/usr/bin/env bash
# Renders the app and tray icons in resources/ from the SVGs in resources/src/. The results are
# committed: CI and installers never need these tools. Needs Debian's librsvg2-bin, imagemagick and
# icnsutils (apt-get install -y librsvg2-bin imagemagick icnsutils).
set -euo pipefail
cd "$(dirname "$0")/../resources"
CONVERT=/usr/bin/convert # the real ImageMagick (some machines put a stand-in first on PATH)
for tool in rsvg-convert "$CONVERT" png2icns; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y librsvg2-bin imagemagick icnsutils)" >&2; exit 1; }
done

mkdir -p icons tray
# Linux: one PNG per size, named as electron-builder expects (icons/16x16.png ...).
for size in 16 24 32 48 64 128 256 512 1024; do
  rsvg-convert -w "$size" -h "$size" src/icon.svg -o "icons/${size}x${size}.png"
done
cp icons/512x512.png icon.png
# Windows: a multi-size .ico (16-256).
"$CONVERT" icons/16x16.png icons/24x24.png icons/32x32.png icons/48x48.png icons/64x64.png \
  icons/128x128.png icons/256x256.png icon.ico
# macOS: .icns from the sizes it holds (16-1024).
png2icns icon.icns icons/16x16.png icons/32x32.png icons/48x48.png icons/128x128.png \
  icons/256x256.png icons/512x512.png icons/1024x1024.png >/dev/null

# Tray: one icon per state, at 1x (32 px) and 2x (64 px, picked up by Electron on HiDPI screens).
tray_state() {
  local name=$1 fill=$2 dot=$3
  sed -e "s|STATE_FILL|$fill|" -e "s|STATE_DOT|$dot|" src/tray.svg >"tray/$name.svg"
  rsvg-convert -w 32 -h 32 "tray/$name.svg" -o "tray/$name.png"
  rsvg-convert -w 64 -h 64 "tray/$name.svg" -o "tray/$name@2x.png"
  rm "tray/$name.svg"
}
tray_state tray-ok '#2f8f9d' ''
tray_state tray-alert '#2f8f9d' '<circle cx="50" cy="50" r="12" fill="#e5484d" stroke="#ffffff" stroke-width="3"/>'
tray_state tray-stopped '#6b7280' '<path d="M42 42 L58 58 M58 42 L42 58" stroke="#e5484d" stroke-width="6" stroke-linecap="round"/>'
echo "icons written to resources/"
