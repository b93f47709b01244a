#!/usr/bin/env bash
# Installs the Debian packages listed in scripts/system-packages.txt that are missing.
# As root: apt-get installs them. Otherwise: one line per missing package; the tests that need it
# skip with the same message (under CI=true they fail instead).
set -euo pipefail
cd "$(dirname "$0")"
missing=()
while read -r package command _; do
  [[ -z "${package:-}" || "$package" == \#* ]] && continue
  if ! command -v "$command" >/dev/null 2>&1 && ! dpkg -s "$package" >/dev/null 2>&1; then
    missing+=("$package")
  fi
done < system-packages.txt
[[ ${#missing[@]} -eq 0 ]] && exit 0
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages for the tests: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  for p in "${missing[@]}"; do
    echo "Not root: tests needing the Debian package '$p' will be skipped (install it with apt-get)."
  done
fi
