#!/usr/bin/env bash
# Installs the Debian packages Leopost builds and tests with, only those missing.
# Needs root (or sudo); does nothing when everything is there.
set -euo pipefail
packages=(libhiredis-dev libpq-dev libcurl4-openssl-dev libssl-dev libgmime-3.0-dev pkg-config redis-server redis-tools postgresql python3 "$@")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
echo "installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts the packaged servers as system services; Leopost runs its own on free ports.
for service in redis-server postgresql; do
  if command -v systemctl >/dev/null && systemctl is-active --quiet "$service" 2>/dev/null; then $sudo systemctl stop "$service" || true; fi
done
