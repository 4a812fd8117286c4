"""HTTP entry points: Twilio's voice webhooks and the email and fax intake."""
from flask import Flask

from webhooks import agent, intake, voice


def init_app(app: Flask) -> None:
    """Register the webhook blueprints."""
    app.register_blueprint(voice.bp)
    app.register_blueprint(intake.bp)
    app.register_blueprint(agent.bp)
