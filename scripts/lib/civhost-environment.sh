# The environment civhost runs in. packaging/civhost.service sets the same (keep them alike);
# scripts/run and the benchmarks source this file, so what is measured is what a county runs.
#
# glibc.malloc.hugetlb=1: glibc asks the kernel for transparent huge pages (2 MiB) for malloc's
# heap and its large blocks (madvise; Debian's kernel offers THP in "madvise" mode). On a
# virtual server a 4 KiB page fault costs about 10 us; a civhost start touches some 3,000 heap
# pages and the first sign-in's Argon2 hash 4,900 more. Measured in session 22 (bench/startup.sh,
# 7 runs): restart 100 -> 70 ms, first start on a new database 137 -> 109 ms, idle RSS 35.6 ->
# 37.0 MB. Where the kernel has no THP the tunable changes nothing. Other tunables already in
# GLIBC_TUNABLES are kept; glibc takes the last value of each, so hugetlb ends up 1.
export GLIBC_TUNABLES="${GLIBC_TUNABLES:+$GLIBC_TUNABLES:}glibc.malloc.hugetlb=1"
