#!/usr/bin/env bash
# Adds a plugin to sf's unsigned-plugin allowlist ($HOME/.config/sf/unsignedPluginAllowList.json, a JSON array of npm
# names), so `sf plugins install` doesn't wait for an answer in a non-interactive run (it would time out and cancel).
# Source: https://developer.salesforce.com/docs/atlas.en-us.sfdx_setup.meta/sfdx_setup/sfdx_setup_allowlist.htm
set -euo pipefail
name="${1:?npm package name}"
dir="${HOME}/.config/sf"
mkdir -p "$dir"
node -e '
  const fs = require("fs");
  const [file, name] = process.argv.slice(1);
  const list = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : [];
  if (!list.includes(name)) list.push(name);
  fs.writeFileSync(file, JSON.stringify(list, null, 2) + "\n");
' "$dir/unsignedPluginAllowList.json" "$name"
