"""The flatliner command line. The only module that prints."""

from __future__ import annotations

import argparse
import logging
import sys

from flatliner.errors import FlatlinerError


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `flatliner` command; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    from rich.console import Console
    from rich.markup import escape

    console = Console(stderr=False, highlight=False)
    errors = Console(stderr=True, highlight=False)
    try:
        from flatliner.backend import select_backend
        from flatliner.commands.common import check_output_paths

        check_output_paths(args)
        args.backend = select_backend(args.backend)
        return args.handler(args, console)
    except FlatlinerError as exc:
        # Escaped: a message may hold brackets (`pip install -e '.[torch]'`).
        errors.print(f"[red]flatliner: error:[/] {escape(str(exc))}", soft_wrap=True)
        return 2
    except KeyboardInterrupt:
        errors.print(f"\nflatliner: interrupted. {_resume_hint(args.command)}")
        return 130


def _resume_hint(command: str) -> str:
    """What an interrupted command keeps: `run` stores nothing between calls."""
    if command == "run":
        return "flatliner run keeps no runs between calls; run it again to start over."
    return (
        "Finished runs are kept; run the same command again to resume where it stopped."
    )


def _parser() -> argparse.ArgumentParser:
    from flatliner.commands import COMMANDS

    parser = argparse.ArgumentParser(
        prog="flatliner",
        description="Why does my network learn nothing? Diagnoses, equivalence "
        "checks and seed statistics for Keras 3.",
    )
    sub = parser.add_subparsers(dest="command")
    for command in COMMANDS:
        command.add_parser(sub)
    return parser


if __name__ == "__main__":
    sys.exit(main())
