"""The action server: rasa_sdk's app with this project's safeguards.

    python -m actions.server --actions actions --port 5055 [rasa_sdk's other options]

Takes the same options as ``rasa run actions`` and adds (review M1, H3, L6):
- it listens on ``SANIC_HOST``, default 127.0.0.1 (not every interface);
- when ``ACTION_TOKEN`` (or ``ACTION_TOKEN_FILE``) is set, ``/webhook`` and ``/actions``
  require ``Authorization: Bearer <token>`` (the Rasa server sends it, bot/resilience.py);
  ``/health`` stays open for supervisors;
- an action runs only when the knowledge base is loaded: it is loaded in a thread at
  start-up, and a call waits at most ``KB_TIMEOUT_SECONDS`` for it, then gets a 503 so the
  Rasa server answers with the safe reply at once;
- request bodies up to ``ACTIONS_REQUEST_MAX_SIZE`` (16 MB: the whole tracker comes with
  every call), not the public servers' ``SANIC_REQUEST_MAX_SIZE``;
- an unexpected error returns a plain 500 without echoing the request (which carries the
  conversation), and is logged by type only.
"""

from __future__ import annotations

import hmac
import logging
import os
import sys
from typing import Any, Optional

from sanic import response
from sanic.exceptions import SanicException
from sanic.request import Request

from bot.settings import env_int

logger = logging.getLogger(__name__)

PROTECTED = ("/webhook", "/actions")


def _authorized(request: Request, token: str) -> bool:
    given = request.headers.get("authorization", "")
    expected = f"Bearer {token}"
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8"))


def install_safeguards(app: Any, token: Optional[str] = None) -> None:
    """Adds the token check, the knowledge-base gate and the quiet error handler to a
    rasa_sdk Sanic app."""
    from actions.common import KnowledgeUnavailable, ensure_repository
    from bot.resilience import action_token

    token = action_token() if token is None else token

    async def guard(request: Request) -> Optional[response.HTTPResponse]:
        if request.path not in PROTECTED:
            return None
        if token and not _authorized(request, token):
            return response.json({"error": "unauthorized"}, status=401)
        if request.path == "/webhook":
            try:
                await ensure_repository()
            except KnowledgeUnavailable as error:
                logger.error("action refused: %s", error)
                return response.json({"error": "knowledge base unavailable"}, status=503)
        return None

    app.register_middleware(guard, "request")

    async def quiet_error(request: Request, exception: Exception) -> response.HTTPResponse:
        status = getattr(exception, "status_code", None)
        if isinstance(exception, SanicException) and status and status < 500:
            return response.json({"error": "bad request"}, status=status)
        logger.error("action server error: %s", type(exception).__name__)
        return response.json({"error": "internal error"}, status=500)

    app.error_handler.add(Exception, quiet_error)

    async def warm_up(app_: Any, _loop: Any) -> None:
        try:
            await ensure_repository()
        except KnowledgeUnavailable as error:
            logger.error("knowledge base not loaded at start-up: %s", error)

    app.register_listener(warm_up, "after_server_start")


def main(argv: Optional[list] = None) -> None:
    from rasa_sdk import utils
    from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME
    from rasa_sdk.endpoint import create_app, create_argument_parser, create_ssl_context
    from rasa_sdk.plugin import plugin_manager

    argv = list(sys.argv[1:] if argv is None else argv)
    # `rasa run actions` spells it --logging-config-file; rasa_sdk's own parser with a "_"
    argv = ["--logging-config_file" if a == "--logging-config-file" else a for a in argv]
    args = create_argument_parser().parse_args(argv)
    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(logging.getLogger(APPLICATION_ROOT_LOGGER_NAME),
                                 args.log_file, args.loglevel, args.logging_config_file)
    utils.update_sanic_log_level()

    app = create_app(args.actions, cors_origins=args.cors, auto_reload=args.auto_reload)
    # The Rasa server posts the whole tracker (every event of the conversation, with parse
    # data): far larger than a user's request. SANIC_REQUEST_MAX_SIZE bounds the public
    # servers; this internal one has its own bound (ACTIONS_REQUEST_MAX_SIZE, default 16 MB).
    app.config.REQUEST_MAX_SIZE = env_int("ACTIONS_REQUEST_MAX_SIZE", 16 * 1024 * 1024,
                                          minimum=1024)
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    install_safeguards(app)
    ssl = create_ssl_context(args.ssl_certificate, args.ssl_keyfile, args.ssl_password)
    host = os.environ.get("SANIC_HOST", "127.0.0.1")
    logger.info("Action server on %s://%s:%s", "https" if ssl else "http", host, args.port)
    app.run(host, args.port, ssl=ssl, workers=utils.number_of_sanic_workers())


if __name__ == "__main__":
    main()
