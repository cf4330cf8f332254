"""Headless Chromium for page tests: CI must have it, a laptop may not."""

from __future__ import annotations

import os

import pytest

from tests.report.html.browser import Browser, find_chromium


@pytest.fixture
def browser():
    """A headless Chromium page; fails in CI without Chromium, skips elsewhere."""
    executable = find_chromium()
    if executable is None:
        message = (
            "headless Chromium not found (looked for chromium, chromium-browser, "
            "google-chrome, $FLATLINER_CHROMIUM); install Debian's `chromium` "
            "package, as .ci/run does"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with Browser(executable) as page:
        yield page


# Every figure on the page: its section, its drawn size and its data marks
# that have a visible size.
FIGURES_JS = """JSON.stringify([...document.querySelectorAll('figure')].map(f => {
  const svg = f.querySelector('svg');
  const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
  const marks = svg ? [...svg.querySelectorAll('.mark')].filter(m => {
    const b = m.getBoundingClientRect(); return b.width > 0 || b.height > 0;
  }).length : 0;
  return {section: f.dataset.figure, width: box.width, height: box.height, marks};
}))"""

SECTIONS_JS = """JSON.stringify([...document.querySelectorAll('section')].map(s => ({
  section: s.dataset.section,
  figures: s.querySelectorAll('figure').length,
  note: s.querySelector('.not-measured') !== null,
})))"""
