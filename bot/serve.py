"""Start-up wrapper for the Rasa server: `python -m bot.serve run --model … [rasa args]`.

Installs the project's run-time safeguards, then hands over to Rasa's own command line:
- bot.resilience: a failed custom action still gets a safe, Rasa-side reply.
- bot.privacy.purge: the retention purge runs on a schedule inside the server.
"""

from __future__ import annotations


def main() -> None:
    from bot.privacy.purge import install_schedule
    from bot.resilience import install

    install()
    install_schedule()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
