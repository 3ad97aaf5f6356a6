#!/usr/bin/env bash
# Re-fetches the vendored GraphiQL files from the npm registry (npm checks each tarball's integrity),
# writes them under vendor/ with their licences under LICENSES/, and records their SHA-256 in SHA256SUMS.
# Not part of the build: run it (`make vendor-graphiql`) to change a version, then review `git diff`.
set -euo pipefail
cd "$(dirname "$0")"

# The UMD builds of the versions strawberry-graphql's own GraphiQL page loads.
GRAPHIQL=graphiql@3.8.3
REACT=react@18.2.0
REACT_DOM=react-dom@18.2.0

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

unpack() {  # unpack PACKAGE@VERSION: the package's files in $work/NAME
    local name="${1%@*}"
    mkdir -p "$work/$name"
    local tarball
    tarball="$(npm pack --silent --pack-destination "$work" "$1")"
    tar -xzf "$work/$tarball" -C "$work/$name" --strip-components=1
}

unpack "$GRAPHIQL"
unpack "$REACT"
unpack "$REACT_DOM"

rm -rf vendor LICENSES
mkdir -p vendor LICENSES
cp "$work/graphiql/graphiql.min.js" "$work/graphiql/graphiql.min.css" vendor/
cp "$work/react/umd/react.production.min.js" vendor/
cp "$work/react-dom/umd/react-dom.production.min.js" vendor/
# Source maps are not served: drop the comment pointing at them, so browsers ask for nothing missing.
sed -i '/^\/\/# sourceMappingURL=/d; s|/\*# sourceMappingURL=[^*]*\*/||' vendor/*
cp "$work/graphiql/LICENSE" LICENSES/graphiql.txt
cp "$work/react/LICENSE" LICENSES/react.txt
cp "$work/react-dom/LICENSE" LICENSES/react-dom.txt

sha256sum vendor/* LICENSES/* > SHA256SUMS
echo "vendored $GRAPHIQL, $REACT, $REACT_DOM"
