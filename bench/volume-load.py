#!/usr/bin/python3
"""Volume workloads for the benchmarks, made with shared/tools/api-bench.py's own client (imported, so
every request is made exactly as that benchmark makes it). Prints one line per figure.

  volume-load.py ready PID LAUNCHED_NS     waits until an authenticated GET /volumes answers 200 (while
                                           PID lives); prints the milliseconds since LAUNCHED_NS
  volume-load.py create FROM TO CONC EVERY creates volumes FROM+1..TO with CONC clients, each until
                                           available; a line per EVERY volumes: creates/s, p50 latency
  volume-load.py list-latency COUNT        COUNT sequential GET /volumes/detail?limit=1000, then COUNT
                                           of limit=50 after a deep marker (60 from the end): p50/p95/p99
  volume-load.py delete-all CONC           deletes every volume of the project; deletes/s until gone

Environment: CINDER_URL (the /v3 URL), PROJECT_ID, API_BENCH (api-bench.py, default ../../shared/tools/).
"""
import concurrent.futures as cf
import importlib.util
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
API_BENCH = os.environ.get("API_BENCH", os.path.join(HERE, "..", "..", "shared", "tools", "api-bench.py"))


def load_api_bench(conc):
    os.environ["CONC"] = str(conc)
    spec = importlib.util.spec_from_file_location("api_bench", API_BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ready(api, pid, launched_ns):
    while True:
        try:
            api.req("GET", "/volumes", ok=(200,))
            print(round((time.time_ns() - launched_ns) / 1e6))
            return 0
        except Exception:  # noqa: not listening yet, or not serving yet
            try:
                os.kill(pid, 0)
            except OSError:
                print(f"basalt (pid {pid}) ended before it served", file=sys.stderr)
                return 1
            time.sleep(0.005)


def create(api, first, last, conc, every):
    api.req("PUT", f"/os-quota-sets/{api.PROJECT}", {"quota_set": {"volumes": -1, "gigabytes": -1}})
    started = bucket_start = time.perf_counter()
    done, bucket, errors = first, [], 0
    with cf.ThreadPoolExecutor(conc) as ex:
        for fut in cf.as_completed([ex.submit(api.create_one, i) for i in range(first, last)]):
            _, latency, _, error = fut.result()
            errors += 1 if error else 0
            bucket.append(latency)
            done += 1
            if (done - first) % every == 0 or done == last:
                now = time.perf_counter()
                print(f"created {done - len(bucket) + 1:5d}..{done:<5d} {len(bucket) / (now - bucket_start):7.1f}/s"
                      f"  end-to-end p50 {api.pct(bucket, 50) * 1000:6.1f} ms  p99 {api.pct(bucket, 99) * 1000:6.1f} ms",
                      flush=True)
                bucket, bucket_start = [], now
    wall = time.perf_counter() - started
    print(f"created {last - first} in {wall:.1f} s: {(last - first) / wall:.1f}/s, {errors} errors", flush=True)
    return 1 if errors else 0


def volume_ids(api):
    ids, marker = [], None
    while True:
        page, _, _ = api.req("GET", "/volumes?limit=1000" + (f"&marker={marker}" if marker else ""))
        ids += [v["id"] for v in page["volumes"]]
        if len(page["volumes"]) < 1000:
            return ids
        marker = ids[-1]


def latencies(api, path, count):
    times = [api.req("GET", path)[1] for _ in range(count)]
    return " ".join(f"p{p} {api.pct(times, p) * 1000:6.1f} ms" for p in (50, 95, 99))


def list_latency(api, count):
    ids = volume_ids(api)
    deep = max(0, len(ids) - 60)
    marker = ids[deep]
    print(f"{len(ids)} volumes: GET /volumes/detail?limit=1000         {latencies(api, '/volumes/detail?limit=1000', count)}")
    print(f"{len(ids)} volumes: GET /volumes/detail?limit=50&marker=…  "
          f"{latencies(api, f'/volumes/detail?limit=50&marker={marker}', count)}  (marker at {deep})", flush=True)
    return 0


def delete_all(api, conc):
    ids = volume_ids(api)
    started = time.perf_counter()
    with cf.ThreadPoolExecutor(conc) as ex:
        list(ex.map(lambda vid: api.req("DELETE", f"/volumes/{vid}"), ids))
    accepted = time.perf_counter() - started
    remaining = ids
    while remaining and time.perf_counter() - started < api.TIMEOUT:
        time.sleep(0.2)
        remaining = volume_ids(api)
    wall = time.perf_counter() - started
    print(f"deleted {len(ids) - len(remaining)} in {wall:.1f} s: {(len(ids) - len(remaining)) / wall:.1f}/s"
          f" (all accepted after {accepted:.1f} s), {len(remaining)} left", flush=True)
    return 1 if remaining else 0


def main(argv):
    command, args = argv[1], [int(a) for a in argv[2:]]
    conc = {"create": lambda: args[2], "delete-all": lambda: args[0]}.get(command, lambda: 1)()
    api = load_api_bench(conc)
    if command == "ready":
        return ready(api, args[0], args[1])
    if command == "create":
        return create(api, *args)
    if command == "list-latency":
        return list_latency(api, args[0])
    if command == "delete-all":
        return delete_all(api, args[0])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
