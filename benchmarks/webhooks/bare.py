"""The bare app: Flask answering every POST with one fixed TwiML document.

It is what the hotline would cost with no work of its own: the same Flask, the same gunicorn
options (`ivr.serving.gunicorn_options`), a document rendered once with VoiceResponse.

    python -m benchmarks.webhooks.bare --bind 127.0.0.1:8102 --workers 2 --threads 8
"""
from __future__ import annotations

import argparse

from flask import Flask, Response
from twilio.twiml.voice_response import VoiceResponse

from ivr import serving


def fixed_twiml() -> str:
    """A document of the size of a typical answer: a prompt while listening for keys."""
    response = VoiceResponse()
    gather = response.gather(input="dtmf", action="/twilio/step?state=menu", method="POST",
                             timeout=5, finish_on_key="#", action_on_empty_result=True)
    gather.say("Für den Support drücken Sie die 1. Für die Freischaltung die 2.",
               voice="Polly.Vicki", language="de-DE")
    return str(response)


def create_bare_app() -> Flask:
    """The app: any POST to any path gets the fixed document."""
    app = Flask(__name__)
    body = fixed_twiml().encode()

    @app.post("/", defaults={"path": ""})
    @app.post("/<path:path>")
    def answer(path: str) -> Response:
        return Response(body, status=200, mimetype="application/xml")

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bind", default="127.0.0.1:8102")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--threads", type=int, default=serving.DEFAULT_THREADS)
    args = parser.parse_args()
    serving.serve(create_bare_app, serving.gunicorn_options(args.bind, args.workers, args.threads))


if __name__ == "__main__":
    main()
