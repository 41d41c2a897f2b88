import sys

import pytest

from indexer.imports import import_without


def test_a_hidden_module_cannot_be_imported_while_the_library_imports(tmp_path, monkeypatch):
    (tmp_path / "optional_dependency.py").write_text("VALUE = 1\n")
    (tmp_path / "library_with_fallback.py").write_text(
        "try:\n    import optional_dependency\n    BACKEND = 'optional'\nexcept ImportError:\n    BACKEND = 'fallback'\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("optional_dependency", "library_with_fallback"):
        monkeypatch.delitem(sys.modules, name, raising=False)

    assert import_without("library_with_fallback", "optional_dependency").BACKEND == "fallback"
    assert "optional_dependency" not in sys.modules  # hidden only while the library imported
    import optional_dependency

    assert optional_dependency.VALUE == 1


def test_a_library_that_fails_to_import_leaves_nothing_hidden():
    with pytest.raises(ImportError):
        import_without("no_such_library_here", "some_optional_module")
    assert "some_optional_module" not in sys.modules
