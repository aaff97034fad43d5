"""Start-up wrapper for the Rasa server: `python -m bot.serve run --model … [rasa args]`.

Installs the project's run-time safeguards, then hands over to Rasa's own command line:
- bot.resilience: a failed custom action still gets a safe, Rasa-side reply.
- bot.privacy.purge: the retention purge runs on a schedule inside the server.
- the Rasa HTTP API (off by default) is turned on when ``RASA_API_TOKEN`` (or a file named by
  ``RASA_API_TOKEN_FILE``) is set; the token is added to the arguments inside this process,
  so it never appears on the command line (``ps``, /proc/<pid>/cmdline; review M8).
"""

from __future__ import annotations

import os
import sys


def _api_arguments() -> list:
    token = os.environ.get("RASA_API_TOKEN", "").strip()
    path = os.environ.get("RASA_API_TOKEN_FILE", "").strip()
    if not token and path:
        with open(path, encoding="utf-8") as handle:
            token = handle.readline().strip()
    if not token or "--auth-token" in sys.argv or sys.argv[1:2] != ["run"]:
        return []
    return ["--enable-api", "--auth-token", token]


def main() -> None:
    from bot.privacy.purge import install_schedule
    from bot.resilience import install

    install()
    install_schedule()
    sys.argv.extend(_api_arguments())
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
