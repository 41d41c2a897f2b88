"""Importing a library as if some of its optional dependencies were not installed.

jieba imports a heavy optional module it does not need for what we call: pkg_resources (0.1 s and a
deprecation warning) to find a file beside its own module. Every CLI command would pay for it.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType


def import_without(name: str, *optional: str) -> ModuleType:
    """Import ``name``; while it imports, ``import`` of each module in ``optional`` that is not loaded
    yet raises ImportError, so ``name`` takes its fallback path."""
    hidden = [module for module in optional if module not in sys.modules]
    for module in hidden:
        sys.modules[module] = None  # the import system's marker for "not importable"
    try:
        return importlib.import_module(name)
    finally:
        for module in hidden:
            del sys.modules[module]
