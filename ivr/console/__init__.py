"""The staff console: login, the call-queue view for agents, tickets, figures and notices
for supervisors, charges and exports for finance. Server-rendered pages with a little
JavaScript that polls JSON endpoints."""
from __future__ import annotations

from flask import Flask

from ivr.console import auth, display, finance, queue, supervisor, tickets
from ivr.console.screen import add_ticket_finder
from ivr.console.ticket_finder import recent_tickets


def init_app(app: Flask) -> None:
    """Register the console's blueprints and template helpers."""
    if app.config.get("SESSION_COOKIE_SAMESITE") is None:
        app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    if (app.config.get("PUBLIC_BASE_URL") or "").startswith("https://"):
        app.config["SESSION_COOKIE_SECURE"] = True  # the console is served over HTTPS
    app.register_blueprint(auth.bp)
    app.register_blueprint(queue.bp)
    app.register_blueprint(supervisor.bp)
    app.register_blueprint(tickets.bp)
    app.register_blueprint(finance.bp)
    add_ticket_finder(app, recent_tickets)
    app.jinja_env.globals.update(csrf_token=auth.csrf_token, current_staff=auth.current_staff)
    display.register_filters(app)
