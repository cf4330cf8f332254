import os
import stat

import pytest

from flatliner.files import atomic_file


def test_an_atomic_file_gets_the_permissions_of_a_plain_open(tmp_path):
    # A new user found every report readable by its owner only (mkstemp's 0600).
    old = os.umask(0o022)
    try:
        with atomic_file(tmp_path / "report.html") as handle:
            handle.write("<p>hi</p>")
    finally:
        os.umask(old)
    mode = stat.S_IMODE((tmp_path / "report.html").stat().st_mode)
    assert mode == 0o644
    assert (tmp_path / "report.html").read_text() == "<p>hi</p>"


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "runs.json"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_file(target) as handle:
        handle.write("half")
        raise RuntimeError("killed mid-write")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["runs.json"]
