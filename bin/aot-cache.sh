# Sourced by bin/basalt after jdk.sh and java-options.sh: the JVM's own start-up cache for the built
# jar set, so a Basalt process starts with its classes already loaded and linked and, on JDK 25+, the
# methods' profiles of a training run (so the JIT compiles the request path early).
#
#   JDK 25+     an AOT cache (JEP 483/514/515), made once by a training run: `basalt all` on a temporary
#               state_path, driven through creates, lists, shows and deletes, then stopped; the JVM
#               writes the cache as it exits (-XX:AOTCacheOutput). Used with -XX:AOTCache.
#   JDK 21-24   a dynamic CDS archive (-XX:+AutoCreateSharedArchive): the JVM writes it when the first
#               process exits and rewrites it itself when it no longer matches.
#
# A cache is named after what the JVM checks it against: the JDK (its release file and libjvm) and
# every jar on the class path (path, size, time). Another JDK or another build looks for another file,
# so a stale cache is never offered to the JVM (which would refuse it with a warning and start slowly);
# a new one replaces the old. BASALT_AOT=off starts without; BASALT_AOT_DIR puts the caches elsewhere
# (default basalt-server/target/aot, which `mvn clean` removes with the jar).
# JDK 25.0.3 warns on every start with a cache that it cannot link one adapter from the cache's code
# section ("Saved blob's name ... is different"); without the cached adapters it starts as fast, silently.
basalt_aot_jdk25_options="-XX:+UnlockDiagnosticVMOptions -XX:-AOTAdapterCaching"

basalt_aot_dir() { echo "${BASALT_AOT_DIR:-$root/basalt-server/target/aot}"; }

basalt_aot_key() { # jar -> a short hash of the JDK and the jar set
  local jar="$1"
  { cat "$JAVA_HOME/release" 2>/dev/null; echo "$JAVA_HOME"
    stat -L -c '%n %s %Y' "$JAVA_HOME/lib/server/libjvm.so" "$jar" "$(dirname "$jar")"/lib/*.jar
  } | cksum | cut -d' ' -f1
}

basalt_aot_file() { # jar -> the cache this JDK and jar set use (whether it exists or not)
  local suffix=aot
  [ "$(basalt_java_major "$JAVA_HOME")" -ge 25 ] || suffix=jsa
  echo "$(basalt_aot_dir)/basalt-$(basalt_aot_key "$1").$suffix"
}

basalt_aot_options() { # jar -> JVM options using the cache; trains it first when this JDK has none yet
  local jar="$1" file major
  [ "${BASALT_AOT:-on}" != off ] || return 0
  major="$(basalt_java_major "$JAVA_HOME")"
  file="$(basalt_aot_file "$jar")"
  if [ "$major" -ge 25 ]; then
    [ -f "$file" ] || basalt_aot_train "$jar" "$file" >&2 || return 0
    [ -f "$file" ] && echo "-XX:AOTCache=$file $basalt_aot_jdk25_options"
  elif [ "$major" -ge 21 ]; then
    mkdir -p "$(dirname "$file")"
    echo "-XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=$file"
  fi
}

basalt_aot_free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

basalt_aot_train() { # jar, file: a training run of `basalt all` that writes the AOT cache to file
  local jar="$1" file="$2" dir work port pid base project=abcdef0123456789abcdef0123456789 i status
  dir="$(dirname "$file")"
  mkdir -p "$dir"
  exec 8> "$dir/.lock"
  flock 8                                   # another launcher training the same cache: wait for it
  [ -f "$file" ] && { exec 8>&-; return 0; }
  echo "basalt: making the JVM's AOT cache for this build and JDK (once; a training run of basalt all)"
  work="$(mktemp -d /tmp/basalt-aot-train.XXXXXX)"
  port="$(basalt_aot_free_port)"
  printf '[DEFAULT]\nstate_path = %s/state\nosapi_volume_listen = 127.0.0.1\nosapi_volume_listen_port = %s\nosapi_max_limit = 1000\n[backend_defaults]\ntarget_port = %s\n' \
    "$work" "$port" "$(basalt_aot_free_port)" \
    > "$work/basalt.conf"
  # shellcheck disable=SC2046 # the options are words
  BASALT_LOG_LEVEL=WARN "$JAVA_HOME/bin/java" $(basalt_java_options all) $basalt_aot_jdk25_options -XX:AOTCacheOutput="$work/basalt.aot" \
    -jar "$jar" all --config-file "$work/basalt.conf" > "$work/training.log" 2>&1 &
  pid=$!
  trap 'kill -KILL "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"; exit 130' INT TERM   # no training run left behind
  base="http://127.0.0.1:$port/v3/$project"
  status=0
  basalt_aot_workload "$base" "$project" "$pid" || status=$?
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true           # the JVM writes the cache as it exits (SIGTERM: 143)
  trap - INT TERM
  if [ "$status" = 0 ] && [ -s "$work/basalt.aot" ]; then
    rm -f "$dir"/basalt-*.aot               # the caches of earlier builds
    mv "$work/basalt.aot" "$file"
  else
    echo "basalt: the training run failed; starting without an AOT cache (log: $work/training.log)"
    exec 8>&-
    return 1
  fi
  rm -rf "$work"
  exec 8>&-
}

basalt_aot_workload() { # base URL, project, pid: what a freshly started server is asked first
  local base="$1" project="$2" pid="$3" token i ids
  token="X-Auth-Token: admin:$project"
  for i in $(seq 1 600); do
    curl -sf -o /dev/null -H "$token" "$base/volumes" && break
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  curl -sf -o /dev/null -X PUT -H "$token" -H 'Content-Type: application/json' \
    -d '{"quota_set": {"volumes": -1, "gigabytes": -1}}' "$base/os-quota-sets/$project" || return 1
  seq 1 200 | xargs -P 10 -I{} curl -sf -o /dev/null -H "$token" -H 'Content-Type: application/json' \
    -d '{"volume": {"size": 1, "name": "training-{}"}}' "$base/volumes" || return 1
  for i in $(seq 1 300); do
    curl -sf -H "$token" "$base/volumes/detail" | grep -q '"status": *"creating"' || break
    sleep 0.1
  done
  ids="$(curl -sf -H "$token" "$base/volumes" | grep -o '"id": *"[0-9a-f-]*"' | sed 's/.*"\([0-9a-f-]*\)"$/\1/')"
  for i in $(seq 1 20); do
    curl -sf -o /dev/null -H "$token" "$base/volumes/detail"
    curl -sf -o /dev/null -H "$token" "$base/volumes/detail?limit=50&marker=$(echo "$ids" | sed -n 100p)"
    curl -sf -o /dev/null -H "$token" "$base/volumes"
    curl -sf -o /dev/null -H "$token" "$base/volumes/$(echo "$ids" | sed -n "${i}p")"
  done
  echo "$ids" | xargs -P 10 -I{} curl -sf -o /dev/null -X DELETE -H "$token" "$base/volumes/{}" || return 1
  for i in $(seq 1 300); do
    curl -sf -H "$token" "$base/volumes" | grep -q '"id"' || break
    sleep 0.1
  done
}
