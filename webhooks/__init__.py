"""HTTP entry points: Twilio's voice webhooks and the email and fax intake."""
from flask import Flask

from webhooks import agent, intake, voice


#: The blueprints whose routes a telephony or intake provider calls.
BLUEPRINTS = (voice.bp, intake.bp, agent.bp)


def init_app(app: Flask) -> None:
    """Register the webhook blueprints; their names are kept in app.extensions["webhooks"]."""
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    app.extensions["webhooks"] = frozenset(blueprint.name for blueprint in BLUEPRINTS)
