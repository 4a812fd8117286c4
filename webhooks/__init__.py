"""HTTP entry points: Twilio's voice webhooks."""
from flask import Flask

from webhooks import agent, voice


def init_app(app: Flask) -> None:
    """Register the webhook blueprints."""
    app.register_blueprint(voice.bp)
    app.register_blueprint(agent.bp)
