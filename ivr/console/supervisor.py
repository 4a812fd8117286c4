"""The supervisor's page: queue figures with an hourly chart, agents, and notices.

| route                                        | does                                   |
|----------------------------------------------|----------------------------------------|
| GET  /console/supervisor                     | figures, chart, agents, notices        |
| GET  /console/supervisor/figures             | the figures as JSON (the page polls)   |
| POST /console/supervisor/notices             | a new notice                           |
| GET  /console/supervisor/notices/N           | the form to change notice N            |
| POST /console/supervisor/notices/N           | change it                              |
| POST /console/supervisor/notices/N/end       | end it now                             |
"""
from __future__ import annotations

import dataclasses

from flask import (Blueprint, Response, current_app, flash, jsonify, redirect, render_template,
                   request, url_for)
from sqlalchemy import select

from ivr import notices
from ivr.console.auth import SUPERVISOR_ROLES, csrf_protect, role_required
from ivr.console.display import parse_local, zone
from ivr.db import get_session, utcnow
from ivr.figures import figures
from ivr.models import Notice, Staff

bp = Blueprint("console_supervisor", __name__, url_prefix="/console/supervisor")
csrf_protect(bp)


def current_figures():
    return figures(get_session(), utcnow(), zone(), current_app.config["SERVICE_LEVEL_SECONDS"])


@bp.get("")
@role_required(*SUPERVISOR_ROLES)
def page():
    """Figures, agents and notices."""
    session = get_session()
    staff = session.scalars(select(Staff).where(Staff.role != "finance").order_by(Staff.username))
    return render_template("console/supervisor.html", figures=current_figures(),
                           members=list(staff), notices=notices.notices_not_ended(session, utcnow()),
                           kinds=notices.KINDS,
                           service_seconds=current_app.config["SERVICE_LEVEL_SECONDS"])


@bp.get("/figures")
@role_required(*SUPERVISOR_ROLES)
def figures_json():
    """The figures as JSON."""
    return jsonify(dataclasses.asdict(current_figures()))


def notice_fields() -> dict:
    """The notice form's fields, times converted to UTC (ValueError says what is wrong)."""
    form = request.form
    return {"kind": form.get("kind", ""), "text_de": form.get("text_de", "")[:2000],
            "text_en": form.get("text_en", "")[:2000],
            "starts_at": parse_local(form.get("starts_at")) or utcnow(),
            "ends_at": parse_local(form.get("ends_at"))}


def notice_or_404(notice_id: int) -> Notice | Response:
    notice = get_session().get(Notice, notice_id)
    if notice is None:
        return Response("no such notice\n", status=404, mimetype="text/plain")
    return notice


@bp.post("/notices")
@role_required(*SUPERVISOR_ROLES)
def add_notice():
    """Add a notice that the hotline reads from its start."""
    session = get_session()
    try:
        notices.add_notice(session, **notice_fields())
    except ValueError as exc:
        return Response(f"{exc}\n", status=400, mimetype="text/plain")
    session.commit()
    flash("Notice added.", "info")
    return redirect(url_for(".page"), 303)


@bp.route("/notices/<int:notice_id>", methods=["GET", "POST"])
@role_required(*SUPERVISOR_ROLES)
def edit_notice(notice_id: int):
    """Change a notice's kind, texts or time span."""
    notice = notice_or_404(notice_id)
    if isinstance(notice, Response):
        return notice
    if request.method == "POST":
        try:
            notices.change_notice(notice, **notice_fields())
        except ValueError as exc:
            get_session().rollback()
            return render_template("console/notice.html", notice=notice, kinds=notices.KINDS,
                                   error=str(exc)), 400
        get_session().commit()
        flash("Notice changed.", "info")
        return redirect(url_for(".page"), 303)
    return render_template("console/notice.html", notice=notice, kinds=notices.KINDS, error=None)


@bp.post("/notices/<int:notice_id>/end")
@role_required(*SUPERVISOR_ROLES)
def end_notice(notice_id: int):
    """End a notice now."""
    notice = notice_or_404(notice_id)
    if isinstance(notice, Response):
        return notice
    notices.end_notice(notice, utcnow())
    get_session().commit()
    flash("Notice ended.", "info")
    return redirect(url_for(".page"), 303)
