"""The CLI's commands: one module each, with add_parser(sub) and handlers.

Each module registers its subcommand(s) and sets `handler=` to a function
taking (args, console) and returning the exit status.
"""

from flatliner.commands import compare, diagnose, equiv, fix, report, run

COMMANDS = (diagnose, compare, fix, equiv, run, report)
