"""Start-up wrapper for the Rasa server: `python -m bot.serve run --model … [rasa args]`.

Installs the project's run-time safeguards, then hands over to Rasa's own command line:
- bot.resilience: a failed custom action still gets a safe, Rasa-side reply.
"""

from __future__ import annotations


def main() -> None:
    from bot.resilience import install

    install()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
