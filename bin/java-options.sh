# Sourced by bin/basalt and the benchmarks: the JVM options a Basalt role starts with unless
# BASALT_JAVA_OPTS gives others. A control plane needs little heap: the serial collector with a
# bounded heap per role keeps each process small (the api renders lists, so it gets the most, with
# a young generation large enough that a response's garbage dies young instead of filling the old
# one). Fewer glibc malloc arenas keep native memory from fragmenting across threads.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
basalt_java_options() { # role (all, api, scheduler, volume, backup, manage)
  local common="-XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Xss512k"
  case "${1:-all}" in
    scheduler|volume|backup|manage) echo "$common -Xms16m -Xmx64m -Xmn12m -XX:TieredStopAtLevel=1" ;;
    api) echo "$common -Xms48m -Xmx128m -Xmn32m" ;;
    *) echo "$common -Xms48m -Xmx160m -Xmn32m" ;;
  esac
}
