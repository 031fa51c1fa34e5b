"""Running the `assistant` command in-process, as a user would from the shell."""

import pytest

from assistant.cli import main


def run_cli(args, capsys):
    """(exit code, stdout, stderr) of `assistant ARGS`."""
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err
