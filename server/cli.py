"""The `mockloop` command line (shared/CONTRACTS.md §4).

Start-up stays cheap: each command imports what it needs when it runs, so `mockloop --help`
never pays for litellm, faster-whisper or SQLAlchemy.
"""

from __future__ import annotations

import sys

import click


class UserError(Exception):
    """A mistake in the user's input: reported in one line, never with a traceback."""


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="mockloop")
def cli() -> None:
    """mockloop: a mock interviewer for machine-learning engineers."""


def _register_subgroups() -> None:
    from server.cli_bank import bank
    from server.cli_drill import drill
    from server.cli_serve import serve, transcribe
    from server.cli_sessions import export, review, score

    for command in (bank, drill, score, review, export, serve, transcribe):
        cli.add_command(command)


_register_subgroups()


def _user_errors() -> tuple[type[Exception], ...]:
    """The error types that mean bad input; imported only once something has gone wrong."""
    from interviewers.personas import PersonaError
    from interviewers.transcript import TranscriptError
    from question_bank.errors import BankError
    from server.cli_names import UnknownName
    from server.errors import ConfigError
    from server.speech.transcriber import TranscriberError
    from server.storage import StorageError

    return (
        UserError,
        UnknownName,
        BankError,
        ConfigError,
        TranscriptError,
        StorageError,
        PersonaError,
        TranscriberError,
    )


def main(argv: list[str] | None = None) -> int:
    """Entry point: user mistakes become one line on stderr and a non-zero exit."""
    try:
        # Without standalone mode click hands back the code of a ctx.exit()/Exit as the result.
        result = cli.main(args=argv, prog_name="mockloop", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("mockloop: aborted", err=True)
        return 130
    except click.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx else "mockloop"
        click.echo(f"{command}: {exc.format_message()} (see '{command} --help')", err=True)
        return 2
    except click.ClickException as exc:
        click.echo(f"mockloop: {exc.format_message()}", err=True)
        return exc.exit_code
    except Exception as exc:
        if not isinstance(exc, _user_errors()):
            raise  # a bug: let the traceback show
        one_line = getattr(exc, "one_line", None)
        click.echo(f"mockloop: {one_line() if callable(one_line) else exc}", err=True)
        return 1
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
