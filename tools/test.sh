#!/usr/bin/env bash
# Every test: installs what is missing, builds, runs all tests under ctest, then builds again
# with AddressSanitizer + UndefinedBehaviorSanitizer and runs the unit tests under them.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh

jobs=$(nproc)

echo "== build (RelWithDebInfo)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$jobs"

echo "== tests"
(cd build && ctest --output-on-failure -j "$jobs")

echo "== build with clang, AddressSanitizer + UndefinedBehaviorSanitizer, and the libFuzzer targets"
# A cache made with another compiler cannot be reused.
if [[ -f build-asan/CMakeCache.txt ]] && ! grep -q 'CMAKE_CXX_COMPILER:.*clang++' build-asan/CMakeCache.txt; then
  rm -rf build-asan
fi
cmake -S . -B build-asan -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug -DSAMBAT_SANITIZE=ON >/dev/null
cmake --build build-asan -j "$jobs"

echo "== unit tests under ASan + UBSan, and the fuzzers for a bounded time"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
(cd build-asan && ctest --output-on-failure -j "$jobs" -L 'unit|fuzz')
