"""Configuration: defaults first, then the environment, then a test mapping."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

#: Settings read from the environment when set there.
ENVIRONMENT_KEYS = (
    "DATABASE_URL",
    "REDIS_URL",
    "TWILIO_AUTH_TOKEN",
    "TWILIO_ACCOUNT_SID",
    "TWILIO_API_BASE_URL",
    "PUBLIC_BASE_URL",
    "SECRET_KEY",
    "QUEUE_NAME",
    "HOLD_MUSIC_URL",
    "SAY_VOICE_DE",
    "SAY_VOICE_EN",
    "HOTLINE_NUMBER",
    "DATEV_CONSULTANT_NUMBER",
    "DATEV_CLIENT_NUMBER",
    "DATEV_ACCOUNT_LENGTH",
    "DATEV_REVENUE_ACCOUNT",
    "DATEV_TAX_ACCOUNT",
    "DATEV_CLEARING_ACCOUNT",
    "SMTP_URL",
    "SUPPORT_ADDRESS",
    "INTAKE_TOKEN",
    "METRICS_TOKEN",
    "CUSTOMER_INTERFACE_SECRET",
    "FAX_WEBHOOK_SECRET",
    "TELNYX_PUBLIC_KEY",
    "WRAP_UP_SECONDS",
    "AGENT_RING_SECONDS",
    "CONSOLE_TIMEZONE",
    "CHAT_SHARED_SECRET",
    "CHAT_TOKEN_SECONDS",
    "CHAT_STREAM_SECONDS",
    "WORKER_MAINTENANCE_SECONDS",
    "WORKER_MONITORING_SECONDS",
    "WORKER_TTL_SECONDS",
)
#: Environment settings that are whole numbers.
INTEGER_KEYS = ("WRAP_UP_SECONDS", "AGENT_RING_SECONDS", "CHAT_TOKEN_SECONDS",
                "CHAT_STREAM_SECONDS", "WORKER_MAINTENANCE_SECONDS", "WORKER_MONITORING_SECONDS",
                "WORKER_TTL_SECONDS")

DEFAULTS = {
    "DATABASE_URL": None,  # None: SQLite in the instance folder
    "REDIS_URL": None,  # None: jobs run inline
    "TWILIO_AUTH_TOKEN": None,  # None: a generated local development token
    "TWILIO_ACCOUNT_SID": "AC00000000000000000000000000000000",
    "TWILIO_API_BASE_URL": None,  # None: Twilio's own API
    "PUBLIC_BASE_URL": None,  # None: the URL the request arrived at
    "SECRET_KEY": None,
    "QUEUE_NAME": "support",
    "HOLD_MUSIC_URL": None,  # None: silence between the waiting announcements
    "SAY_VOICE_DE": "Polly.Vicki",
    "SAY_VOICE_EN": "Polly.Amy",
    "SAY_LANGUAGE": {"de": "de-DE", "en": "en-GB"},
    "DEFAULT_LANGUAGE": "de",
    "CHARGING_PAUSE_SECONDS": 3,
    "MENU_TIMEOUT_SECONDS": 5,
    "NUMBER_TIMEOUT_SECONDS": 7,
    "MAX_TRIES": 3,
    "QUEUE_ANNOUNCE_INTERVAL_SECONDS": 30,
    "QUEUE_DEFAULT_SECONDS_PER_POSITION": 120,
    "HOTLINE_NUMBER": "+499001410520",  # the 0900 number; its price digit picks a tariff
    "DATEV_CONSULTANT_NUMBER": "1001",  # Beraternummer
    "DATEV_CLIENT_NUMBER": "1",  # Mandantennummer
    "DATEV_ACCOUNT_LENGTH": "4",  # Sachkontenlänge
    "DATEV_REVENUE_ACCOUNT": "8200",  # net revenue; not an automatic VAT account
    "DATEV_TAX_ACCOUNT": "1776",  # VAT (Umsatzsteuer 19 %)
    "DATEV_CLEARING_ACCOUNT": "1360",  # what the carrier owes until it pays out
    # Email and fax intake
    "SMTP_URL": "smtp://127.0.0.1:25",  # smtp://[user:password@]host[:port], smtps://, smtp+starttls://
    "SUPPORT_ADDRESS": "support@candan.eu",  # the intake's own address, sender of receipts
    "INTAKE_TOKEN": None,  # None: the raw-mail endpoint refuses every request
    "METRICS_TOKEN": None,  # None: /metrics is open (keep it off the public network)
    # The job workers (see ivr.workers)
    "WORKER_MAINTENANCE_SECONDS": 60,  # registry clean-up: abandoned jobs are retried
    "WORKER_MONITORING_SECONDS": 30,  # a busy worker's look at its horse, and its heartbeat
    "WORKER_TTL_SECONDS": 75,  # a worker not heard of this long counts as dead
    "CUSTOMER_INTERFACE_SECRET": None,  # None: the customer-interface endpoint refuses all
    "FAX_WEBHOOK_SECRET": None,  # None: the fax webhook refuses every request
    "TELNYX_PUBLIC_KEY": None,  # base64 Ed25519 key; None: the Telnyx webhook refuses all
    "SIGNATURE_MAX_AGE_SECONDS": 300,
    "INTAKE_MAX_BYTES": 30 * 1024 * 1024,
    "TICKET_DUE_HOURS": 24,
    "OUTAGE_DUE_HOURS": 2,
    "RECEIPT_DEADLINE_MINUTES": 60,
    "RECEIPTS_PER_SENDER_PER_HOUR": 3,
    "MAIL_RETRY_SECONDS": (15, 60, 180, 300, 600),
    "WRAP_UP_SECONDS": 30,  # after each call, then the agent is available again
    "AGENT_RING_SECONDS": 20,  # how long an agent's phone rings before the caller goes back
    "LOGIN_MAX_FAILURES": 5,  # failed console logins in a row before the account locks
    "LOGIN_LOCK_SECONDS": 900,
    "SERVICE_LEVEL_SECONDS": 20,  # answered within this counts for the service level
    "CONSOLE_TIMEZONE": "Europe/Berlin",  # whose "today" and hours the figures show
    "QUEUE_POLL_MILLISECONDS": 1000,
    "CHAT_SHARED_SECRET": None,  # None: nobody can enter the chat (the customer system signs)
    "CHAT_TOKEN_SECONDS": 120,  # how long an entry link from the customer account is good
    "CHAT_SESSION_SECONDS": 8 * 3600,  # how long a customer stays in after entering
    "CHAT_MAX_MESSAGE_CHARS": 1000,
    "CHAT_RATE_MESSAGES": 5,  # a customer may send this many messages ...
    "CHAT_RATE_SECONDS": 30,  # ... within this many seconds
    "CHAT_PRESENCE_SECONDS": 45,  # an agent's chat counts as open this long after its heartbeat
    "CHAT_HEARTBEAT_SECONDS": 15,  # how often an open agent chat renews its presence
    "CHAT_STREAM_SECONDS": 25,  # one event stream's length; the browser then reconnects
    "CHAT_POLL_SECONDS": 1.0,  # how often a stream looks for new messages
    "CHAT_HISTORY_MESSAGES": 100,  # what a newly opened chat shows of the room's history
    "CHAT_SUPPORT_EMAIL": "support@candan.eu",
    "CHAT_HOTLINE": "+49 (0) 9001 410520 (0,45 EUR/Min., Mobilfunknetze max. 0,90 EUR/Min.)",
}

DEV_TOKEN_FILE = "dev-twilio-auth-token"


def from_environment(environ: os._Environ | dict) -> dict:
    """The settings given in the environment, by their names."""
    return {key: environ[key] for key in ENVIRONMENT_KEYS if environ.get(key)}


def development_token(instance_path: str) -> str:
    """The local token used when TWILIO_AUTH_TOKEN is not set; made once per instance."""
    path = Path(instance_path) / DEV_TOKEN_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(16))
    return path.read_text().strip()


def finish(config: dict, instance_path: str) -> None:
    """Fill in the settings that derive from others (database path, tokens)."""
    if not config.get("DATABASE_URL"):
        Path(instance_path).mkdir(parents=True, exist_ok=True)
        config["DATABASE_URL"] = f"sqlite:///{Path(instance_path) / 'hotline.sqlite'}"
    if not config.get("TWILIO_AUTH_TOKEN"):
        config["TWILIO_AUTH_TOKEN"] = development_token(instance_path)
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = development_token(instance_path) + "-session"
    for key in INTEGER_KEYS:
        config[key] = int(config[key])
