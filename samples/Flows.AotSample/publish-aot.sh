#!/usr/bin/env bash
# Publishes samples/Flows.AotSample with Native AOT, fails on any trimming (IL2xxx) or AOT (IL3xxx) warning,
# then runs the native binary, which checks its own results and exits non-zero if one is wrong.
#
#   samples/Flows.AotSample/publish-aot.sh
#
# Environment (optional):
#   FRAMEWORK  the target framework to publish; default net8.0 (see Flows.AotSample.csproj for why)
#   RID        the runtime identifier; default this machine's (linux-x64, linux-arm64, osx-arm64, ...)
#
# Needs the .NET SDK, and for the native link a C toolchain: clang, or gcc, which the ILCompiler package
# uses when clang is not installed. The packages (Microsoft.DotNet.ILCompiler and its runtime.<rid> package)
# come from the configured NuGet source. See docs/native-aot.md.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"

export DOTNET_NOLOGO=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1

framework="${FRAMEWORK:-net8.0}"
if [ -z "${RID:-}" ]; then
    case "$(uname -s)-$(uname -m)" in
        Linux-x86_64) RID=linux-x64 ;;
        Linux-aarch64 | Linux-arm64) RID=linux-arm64 ;;
        Darwin-x86_64) RID=osx-x64 ;;
        Darwin-arm64) RID=osx-arm64 ;;
        *) echo "error: set RID for this machine ($(uname -s) $(uname -m))" >&2; exit 2 ;;
    esac
fi

project=samples/Flows.AotSample
out="artifacts/aot/$framework-$RID"
log="artifacts/aot/publish-$framework-$RID.log"
mkdir -p artifacts/aot

# The trimming and AOT analysis only reports warnings when it runs: clear this project's outputs for the
# framework and RID, so an up-to-date check cannot skip the native compilation and hide a warning.
rm -rf "$project/obj/Release/$framework/$RID" "$project/bin/Release/$framework/$RID" "$out"

echo "==> dotnet publish $project -c Release -r $RID -p:FlowsAotTargetFramework=$framework"
started=$(date +%s)
status=0
dotnet publish "$project" -c Release -r "$RID" -o "$out" \
    -p:FlowsAotTargetFramework="$framework" \
    2>&1 | tee "$log" || status=$?
seconds=$(( $(date +%s) - started ))

# Every distinct trimming or AOT diagnostic, whether reported as a warning or (warnings as errors) an error.
il_warnings="$(grep -oE '(warning|error) IL[23][0-9]{3}: .*' "$log" | sed -E 's/ \[[^]]*\.csproj\]$//' | sort -u || true)"
il_count=0
if [ -n "$il_warnings" ]; then
    il_count=$(printf '%s\n' "$il_warnings" | wc -l)
fi

echo "==> publish took ${seconds}s; trimming/AOT warnings: $il_count"
if [ "$il_count" -ne 0 ]; then
    printf '%s\n' "$il_warnings" >&2
    echo "error: the Native AOT publish reported $il_count trimming/AOT warning(s); full log: $log" >&2
    exit 1
fi
if [ "$status" -ne 0 ]; then
    echo "error: dotnet publish exited with code $status; full log: $log" >&2
    exit "$status"
fi
if ! grep -q "Generating native code" "$log"; then
    echo "error: the log does not show the native compilation step; was PublishAot turned off? ($log)" >&2
    exit 1
fi

binary="$out/Flows.AotSample"
if [ -f "$out/Flows.AotSample.dll" ] || [ ! -x "$binary" ]; then
    echo "error: expected one native executable in $out" >&2
    exit 1
fi

echo "==> $binary ($(du -h "$binary" | cut -f1))"
"$binary"
