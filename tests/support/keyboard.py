"""A page and a target -> the target focused by pressing Tab, as a keyboard user would reach it."""

from __future__ import annotations

from playwright.sync_api import Locator, Page


def tab_to(page: Page, target: Locator, limit: int = 600) -> int:
    """Press Tab until ``target`` has focus; return the number of presses. Raises AssertionError past ``limit``."""
    for presses in range(limit + 1):
        if target.evaluate("el => document.activeElement === el"):
            return presses
        page.keyboard.press("Tab")
    raise AssertionError(f"{limit} Tab presses never reached {target}: is it focusable and not hidden?")
