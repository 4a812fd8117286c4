"""Benchmark of the voice webhooks under load: the hotline beside a bare Flask app.

    python -m benchmarks.webhooks [--calls 200] [--workers N] [--threads 8] [--duration 20 | --rounds R] [--think-ms 0]

Needs the `bench` extra (`pip install -e '.[bench]'`), PostgreSQL on 127.0.0.1:5432 and
Redis on 127.0.0.1:6379 (database 11, flushed). It creates the database `hotline_bench`
afresh, migrates it and seeds customers, then runs, as production does, `hotline serve`
(gunicorn gthread) and `hotline worker` (rq), and beside them a bare Flask app served by
`ivr.serving.serve` with the same `gunicorn_options` that answers every POST with one fixed
TwiML document.

One asyncio load generator (`load`) plays N concurrent simulated calls against each app in
turn, signed like Twilio: greeting, menu 1, a real customer number by keypad, the queue
(the Enqueue wait URL `--queue-waits` times, then its action) and the final status
callback. The hotline's calls follow its TwiML with `ivr.simulator.CallScript`; the bare
app gets the same requests replayed. Closed loop by default, paced with `--think-ms`.

It prints, for both apps: requests/s, p50 and p99 latency, errors (non-2xx, invalid TwiML,
timeouts), the CPU of the client, the servers and the machine; the throughput ratio; and
whether the targets are met: at least half the bare app's throughput, p99 under 50 ms.
The figures measured on the project's 2-core machine are in README.md.
"""
