# Sourced by scripts/run and scripts/test: configures build/, the one optimised build both use.
# -g1: line tables and function names (backtraces, perf) without the full debug information that
# doubles the compile time of template-heavy code on a two-core machine.
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" >/dev/null
