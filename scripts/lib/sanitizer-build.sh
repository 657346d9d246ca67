# Sourced by scripts/test-sanitizers and scripts/fuzz: configures build-sanitizers/, the one clang
# build where everything carries AddressSanitizer, UndefinedBehaviorSanitizer and libFuzzer's
# coverage instrumentation (CIV_FUZZ=ON). The suite runs from it under the sanitizers, and the
# fuzz targets are built in it, so a fresh machine compiles the project twice, not three times.
sanitizer_build=build-sanitizers
# -O1 and line tables only: what the sanitizers' reports need (file:line in every frame), at
# about two thirds of the compile time of -O2 -g.
CC=clang CXX=clang++ cmake -S . -B "$sanitizer_build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" -DCIV_FUZZ=ON >/dev/null
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
