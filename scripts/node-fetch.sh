#!/usr/bin/env bash
# Puts a supported Node.js into <repo>/.cache/node/<major>/bin from the npm registry (the registry ships Node
# itself as the package node-<os>-<arch>), so neither CI nor a developer needs a global install or a download
# from anywhere else. Idempotent. Prints the line to put it first on PATH on stdout; logs go to stderr:
#
#   eval "$(bash scripts/node-fetch.sh 24)"      # or: eval "$(npm run --silent node:fetch)"
#
# The versions CI tests are pinned here; bump them deliberately (README → Supported runtimes).
set -euo pipefail

MAJOR="${1:-24}"
case "$MAJOR" in
  24) VERSION=24.22.3 ;; # Active LTS: the primary target, CI runs the whole suite on it
  22) VERSION=22.23.5 ;; # Maintenance LTS: the minimum, CI runs a smoke test on it
  *) echo "[node-fetch] supported majors: 24 (primary), 22 (minimum)" >&2; exit 2 ;;
esac

case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  *) echo "[node-fetch] unsupported OS $(uname -s)" >&2; exit 2 ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "[node-fetch] unsupported CPU $(uname -m)" >&2; exit 2 ;;
esac
PKG="node-$os-$arch"

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PREFIX="$REPO_ROOT/.cache/node/$MAJOR"
BIN="$PREFIX/bin"

if [[ "$("$BIN/node" --version 2>/dev/null || true)" != "v$VERSION" ]]; then
  echo "[node-fetch] installing $PKG@$VERSION into $PREFIX" >&2
  rm -rf "$PREFIX"
  mkdir -p "$PREFIX"
  # --prefix with no package.json there: npm installs into $PREFIX/node_modules and saves nothing. The package
  # has no install scripts. --ignore-scripts keeps it that way whatever npm version runs this.
  npm install --prefix "$PREFIX" --no-save --no-package-lock --no-audit --no-fund --ignore-scripts \
    --loglevel=error "$PKG@$VERSION" >&2
  ln -sfn "node_modules/$PKG/bin" "$BIN"
  [[ "$("$BIN/node" --version)" == "v$VERSION" ]] || { echo "[node-fetch] $BIN/node is not v$VERSION" >&2; exit 1; }
fi
echo "[node-fetch] node v$VERSION at $BIN/node" >&2
echo "export PATH=\"$BIN:\$PATH\""
