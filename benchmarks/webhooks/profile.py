"""Profile the hotline's webhook path in-process: calls through the Flask test client.

    python -m benchmarks.webhooks.profile [--calls 300] [--database hotline_bench_profile] [--html FILE]

Same database set-up and call script as the load benchmark, Redis database 11 for the
jobs; pyinstrument's profile of all requests is printed (or written as HTML).
"""
from __future__ import annotations

import argparse
import time

from pyinstrument import Profiler

from app import create_app
from benchmarks.webhooks import servers
from benchmarks.webhooks.inprocess import play_in_process
from ivr.simulator import CallScript

AUTH_TOKEN = "benchmark-auth-token-0123456789abcdef"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--customers", type=int, default=5000)
    parser.add_argument("--database", default="hotline_bench_profile")
    parser.add_argument("--html", default=None)
    args = parser.parse_args()
    url = servers.fresh_database(args.database, args.customers)
    servers.flush_redis()
    app = create_app({"DATABASE_URL": url, "TWILIO_AUTH_TOKEN": AUTH_TOKEN, "SECRET_KEY": "profile",
                      "REDIS_URL": servers.REDIS_URL})
    client = app.test_client()

    def script(number: int) -> CallScript:
        return CallScript(keys=["_", "1", f"{servers.customer_number(number, args.customers)}#"],
                          caller=f"+4923819{number:06d}", queue_waits=3)

    play_in_process(client, script(0), AUTH_TOKEN)  # warm
    profiler = Profiler(interval=0.0005)
    requests = 0
    started = time.perf_counter()
    with profiler:
        for number in range(1, args.calls + 1):
            requests += len(play_in_process(client, script(number), AUTH_TOKEN))
    seconds = time.perf_counter() - started
    print(f"{requests} requests in {seconds:.2f} s: {1000 * seconds / requests:.2f} ms each, "
          f"{requests / seconds:.0f}/s on one thread")
    if args.html:
        with open(args.html, "w") as handle:
            handle.write(profiler.output_html())
    else:
        print(profiler.output_text(unicode=False, color=False, show_all=False))
    app.extensions["db.engine"].dispose()


if __name__ == "__main__":
    main()
