#!/usr/bin/env bash
# Builds, packs and installs (or updates) the hishop global tool from this checkout. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")"

command -v dotnet >/dev/null || { echo "install.sh: the .NET 10 SDK is required (dotnet was not found on PATH)" >&2; exit 1; }

version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n 1)
packages="$PWD/artifacts/packages"

echo "==> packing HiShopping.Tool $version"
rm -rf "$packages"
dotnet pack src/HiShopping.Tool/HiShopping.Tool.csproj -c Release -o "$packages" --nologo -v quiet

# Same version, new build: drop the old copy from the tool list and from NuGet's cache so the fresh package is used.
if dotnet tool list --global | awk 'NR>2 {print tolower($1)}' | grep -qx 'hishopping.tool'; then
  echo "==> removing the installed hishop"
  dotnet tool uninstall --global HiShopping.Tool >/dev/null
fi
rm -rf "${NUGET_PACKAGES:-$HOME/.nuget/packages}/hishopping.tool/$version"

echo "==> installing hishop $version"
dotnet tool install --global HiShopping.Tool --version "$version" --add-source "$packages" >/dev/null

tools="$HOME/.dotnet/tools"
where="$tools/hishop"
if ! command -v hishop >/dev/null 2>&1 || [ "$(command -v hishop)" != "$where" ]; then
  # Put hishop on PATH for every shell when we may; otherwise say how.
  if [ -w /usr/local/bin ]; then
    ln -sf "$where" /usr/local/bin/hishop
    where="/usr/local/bin/hishop -> $tools/hishop"
  else
    echo "note: add $tools to PATH, e.g.  export PATH=\"\$PATH:$tools\""
  fi
fi

echo "installed: $where ($("$tools/hishop" --version))"
echo "start it:  hishop serve            (http://127.0.0.1:5080, data in ~/.local/share/hishopping)"
echo "help:      hishop --help"
