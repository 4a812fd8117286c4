"""The hotline's application factory and its `hotline` command."""
from __future__ import annotations

import logging
import os
from typing import Mapping, Optional

from flask import Flask
from flask.cli import FlaskGroup

import billing.cli
import callflows
import ivr.chat
import ivr.cli
import ivr.console
import ivr.db
import ivr.health
import ivr.jobs
import ivr.metrics
import webhooks
from ivr import config


def create_app(test_config: Optional[Mapping] = None) -> Flask:
    """The app: configuration from defaults, the environment, then `test_config`."""
    app = Flask(__name__, instance_path=os.environ.get("HOTLINE_INSTANCE_PATH") or None,
                instance_relative_config=True)
    app.config.from_mapping(config.DEFAULTS)
    app.config.from_mapping(config.from_environment(os.environ))
    if test_config:
        app.config.from_mapping(test_config)
    config.finish(app.config, app.instance_path)
    logging.basicConfig(level=logging.INFO)

    ivr.db.init_app(app)
    ivr.jobs.init_app(app)
    ivr.metrics.init_app(app)
    ivr.health.init_app(app)
    app.extensions["callflows"] = callflows.build_machine(app.config)
    webhooks.init_app(app)
    ivr.console.init_app(app)
    ivr.chat.init_app(app)
    ivr.cli.init_app(app)
    billing.cli.init_app(app)
    return app


cli = FlaskGroup(create_app=create_app, help="The support hotline's server and tools.")
