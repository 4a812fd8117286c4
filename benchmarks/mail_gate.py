"""Benchmark: messages through the mail gate into PostgreSQL, in messages per second.

Two figures:
  in-process  10,000 messages through the gate's intake (store raw, parse, ticket,
              receipt planned and handed to rq), one after another, in one process;
  command     `hotline mail-gate` started once per message, as an MTA's pipe does.

Run (PostgreSQL and Redis on this machine):
    .venv/bin/python benchmarks/mail_gate.py [--messages 10000] [--commands 200]
It drops and creates its own database (hotline_bench_intake) and flushes the Redis
database it is given.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

from redis import Redis
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app import create_app  # noqa: E402
from ivr import schema  # noqa: E402
from ivr.db import new_session  # noqa: E402
from ivr.mail_intake import receive_mail  # noqa: E402
from ivr.models import Customer, Ticket  # noqa: E402

ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
SUBJECTS = ["Störung: Webseite nicht erreichbar", "Frage zur Rechnung", "Postfach einrichten",
            "Domain umziehen", "PHP-Version ändern", "Server down?"]


def message(index: int, rng: random.Random) -> bytes:
    """One of a mix of messages: plain UTF-8, quoted-printable, HTML only, with attachment."""
    mail = EmailMessage()
    customer = 10000 + rng.randrange(1000)
    mail["From"] = f"Jürgen Müller <kunde{customer}@example.de>"
    mail["To"] = "support@candan.eu"
    mail["Subject"] = SUBJECTS[index % len(SUBJECTS)]
    mail["Message-ID"] = f"<bench-{index}@example.de>"
    body = (f"Guten Tag,\n\nmeine Seite zeigt seit heute früh einen Fehler. "
            f"Kundennummer {customer}.\n\nMit freundlichen Grüßen\nJürgen Müller\n")
    kind = index % 4
    if kind == 0:
        mail.set_content(body)
    elif kind == 1:
        mail.set_content(body * 3, cte="quoted-printable")
    elif kind == 2:
        mail.set_content(f"<html><body><p>{body.replace(chr(10), '<br>')}</p></body></html>",
                         subtype="html")
    else:
        mail.set_content(body)
        mail.add_attachment(b"%PDF-1.4\n" + bytes(rng.randrange(256) for _ in range(4000)),
                            maintype="application", subtype="pdf", filename="Rechnung März.pdf")
    return bytes(mail)


def fresh_database(name: str) -> str:
    url = schema.create_empty_database(ADMIN_URL, name)
    schema.upgrade(url)
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--commands", type=int, default=200)
    parser.add_argument("--database", default="hotline_bench_intake")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/12")
    args = parser.parse_args()

    url = fresh_database(args.database)
    Redis.from_url(args.redis_url).flushdb()
    app = create_app({"DATABASE_URL": url, "REDIS_URL": args.redis_url,
                      "TWILIO_AUTH_TOKEN": "bench", "SECRET_KEY": "bench"})
    rng = random.Random(6)
    raws = [message(i, rng) for i in range(args.messages)]
    with app.app_context():
        with new_session() as session, session.begin():
            session.add_all(Customer(customer_number=str(10000 + n), name=f"Kunde {n}",
                                     email=f"kunde{10000 + n}@example.de") for n in range(1000))
        started, cpu_started = time.perf_counter(), time.process_time()
        for raw in raws:
            receive_mail(raw, "mail-gate", app.config)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        with new_session() as session:
            tickets = session.scalar(select(func.count(Ticket.id)))
    queued = Redis.from_url(args.redis_url).llen("rq:queue:hotline")
    print(f"in-process: {args.messages} messages in {seconds:.1f} s = "
          f"{args.messages / seconds:.0f} messages/s ({tickets} tickets, {queued} receipt jobs queued); "
          f"the gate's own CPU {1000 * cpu / args.messages:.1f} ms per message, "
          f"load average {os.getloadavg()[0]:.1f}")

    if not args.commands:
        Redis.from_url(args.redis_url).flushdb()
        return
    hotline = shutil.which("hotline", path=str(Path(sys.executable).parent))
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": args.redis_url}
    started = time.perf_counter()
    for raw in raws[:args.commands]:
        subprocess.run([hotline, "mail-gate"], input=raw, env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    print(f"command: {args.commands} runs of `hotline mail-gate` in {seconds:.1f} s = "
          f"{args.commands / seconds:.1f} messages/s ({1000 * seconds / args.commands:.0f} ms each)")
    Redis.from_url(args.redis_url).flushdb()
    app.extensions["db.engine"].dispose()


if __name__ == "__main__":
    main()
