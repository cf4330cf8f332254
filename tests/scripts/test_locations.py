"""Source locations: which frames are the user's, and how files are shown."""

from __future__ import annotations

import os
import sys

import keras

from flatliner.scripts.locations import SourceLocation, UserCode


def test_script_and_its_folder_are_user_code_libraries_are_not(tmp_path):
    user = UserCode(tmp_path / "train.py")
    assert user.owns(str(tmp_path / "train.py"))
    assert user.owns(str(tmp_path / "helpers.py"))
    assert not user.owns(keras.__file__)
    assert not user.owns(os.__file__)
    assert not user.owns("<string>")


def test_caller_is_the_innermost_user_frame():
    user = UserCode(__file__)
    here = sys._getframe().f_lineno + 1
    site = user.caller()
    assert site.line == here and site.file == os.path.abspath(__file__)
    assert "user.caller()" in site.code


def test_files_outside_the_working_directory_are_shown_absolute(tmp_path):
    inside = SourceLocation(os.path.join(os.getcwd(), "a.py"), 3)
    outside = SourceLocation(str(tmp_path.parent / "b.py"), 4)
    assert str(inside) == "a.py:3"
    assert str(outside) == f"{tmp_path.parent / 'b.py'}:4"
