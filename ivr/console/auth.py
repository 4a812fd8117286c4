"""Console login, logout, CSRF tokens and the role check every console page wears.

`role_required("supervisor", "admin")` lets those roles in, answers 403 to other staff and
sends anonymous requests to the login page. `csrf_protect(bp)` makes every POST to a
blueprint carry the session's token (form field `csrf_token` or header `X-CSRF-Token`).
"""
from __future__ import annotations

import functools
import hmac
import logging
import secrets
from typing import Callable, Optional
from urllib.parse import urlencode

from flask import (Blueprint, Response, current_app, g, redirect, render_template,
                   request, session, url_for)

from ivr.db import get_session, utcnow
from ivr.exceptions import LoginRefused
from ivr.models import Staff
from ivr.staff import authenticate

log = logging.getLogger(__name__)

bp = Blueprint("console", __name__, url_prefix="/console", template_folder="templates",
               static_folder="static", static_url_path="/static")

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SUPERVISOR_ROLES = ("supervisor", "admin")


def csrf_token() -> str:
    """The session's CSRF token, made on first use."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def check_csrf() -> Optional[Response]:
    """Refuse a POST whose CSRF token is missing or not the session's (400 with the reason)."""
    if request.method != "POST":
        return None
    sent = request.headers.get(CSRF_HEADER) or request.form.get(CSRF_FIELD) or ""
    expected = session.get("csrf")
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        return Response("CSRF token missing or wrong: reload the page and try again\n",
                        status=400, mimetype="text/plain")
    return None


def read_fresh() -> None:
    """Start each console request without rows remembered from an earlier one."""
    if "db_session" in g:
        g.db_session.expire_all()
    g.pop("staff", None)


def csrf_protect(blueprint: Blueprint) -> None:
    """Check the CSRF token of every POST to the blueprint (and read rows fresh)."""
    blueprint.before_request(read_fresh)
    blueprint.before_request(check_csrf)


csrf_protect(bp)


def current_staff() -> Optional[Staff]:
    """The logged-in staff member of this request, read fresh from the database."""
    if "staff" not in g:
        staff_id = session.get("staff_id")
        g.staff = get_session().get(Staff, staff_id) if isinstance(staff_id, int) else None
    return g.staff


def forbidden(message: str) -> Response:
    """A 403 page with the reason."""
    return Response(render_template("console/error.html", message=message), status=403)


def role_required(*roles: str) -> Callable:
    """Let staff of these roles in; 403 for other roles; anonymous users go to the login."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            staff = current_staff()
            if staff is None:
                return redirect(url_for("console.login") + "?" + urlencode({"next": request.full_path}))
            if staff.role not in roles:
                return forbidden(f"This page is not for the {staff.role} role.")
            return view(*args, **kwargs)

        return wrapper

    return decorate


def safe_next(target: Optional[str]) -> Optional[str]:
    """A local path to go on to after login; anything else is dropped."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target.rstrip("?")
    return None


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The login form; a correct login starts a fresh session."""
    error, status = None, 200
    if request.method == "POST":
        settings = current_app.config
        db = get_session()
        username = request.form.get("username", "")[:64]
        try:
            staff = authenticate(db, username, request.form.get("password", "")[:1024], utcnow(),
                                 settings["LOGIN_MAX_FAILURES"], settings["LOGIN_LOCK_SECONDS"])
        except LoginRefused as exc:
            db.commit()
            log.info("console login refused for %r: %s", username, exc)
            error, status = str(exc), 401
        else:
            db.commit()
            session.clear()
            session["staff_id"] = staff.id
            csrf_token()
            return redirect(safe_next(request.args.get("next")) or url_for("console.home"))
    return render_template("console/login.html", error=error), status


@bp.post("/logout")
def logout():
    """End the session; an agent who was free to take calls goes offline."""
    staff = current_staff()
    if staff is not None and staff.status in ("available", "paused"):
        staff.status, staff.status_reason, staff.status_since = "offline", None, utcnow()
        get_session().commit()
    session.clear()
    return redirect(url_for("console.login"))


@bp.get("/")
@role_required("agent", "supervisor", "finance", "admin")
def home():
    """Where a role starts: agents at the queue, supervisors at the figures, finance at the
    month's charges."""
    staff = current_staff()
    if staff.role == "agent":
        return redirect(url_for("console_queue.page"))
    if staff.role in SUPERVISOR_ROLES:
        return redirect(url_for("console_supervisor.page"))
    return redirect(url_for("console_finance.page"))


__all__ = ["SUPERVISOR_ROLES", "bp", "csrf_protect", "csrf_token", "current_staff",
           "role_required"]
